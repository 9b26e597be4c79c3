package dev.nabla.module;

import dev.nabla.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradient of every trainable parameter after a backward pass, summed over every use of the parameter
 * (a module applied twice adds both contributions, as PyTorch accumulates {@code .grad}).
 */
public final class Gradients {
    // Parameter does not override equals, so this map is keyed by identity, in the order gradients arrive.
    private final Map<Parameter, Tensor> grads = new LinkedHashMap<>();

    /** Adds {@code grad} into the gradient of {@code p}; taken over (closed when summed); dropped for a frozen p. */
    public void add(Parameter p, Tensor grad) {
        if (!p.trainable()) {
            grad.close();
            return;
        }
        if (!grad.shape().equals(p.value().shape())) {
            throw new IllegalArgumentException("Gradients: a gradient of shape " + grad.shape() + " for a parameter of"
                    + " shape " + p.value().shape());
        }
        Tensor sum = grads.get(p);
        if (sum == null) {
            grads.put(p, grad);
        } else {
            sum.addScaled(1, grad);
            grad.close();
        }
    }

    /** As {@link #add}, for an optional parameter: with {@code p} null (a layer without a bias) the gradient is closed. */
    void addOptional(Parameter p, Tensor grad) {
        if (p == null) {
            grad.close();
        } else {
            add(p, grad);
        }
    }

    /** The gradient of {@code p}, or null when no backward pass reached it. */
    public Tensor get(Parameter p) {
        return grads.get(p);
    }
}
