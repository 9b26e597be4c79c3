package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.train.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module network with a loss, as a {@link Model}: {@link dev.nabla.train.Solver} and
 * {@link dev.nabla.train.Trainer} train it unchanged. The loss is the course's softmax cross-entropy unless another
 * is given, plus L2 regularization {@code 0.5 * l2 * sum W^2} over the trainable parameters that decay (weights, not
 * biases or batch-norm parameters; {@link Parameter#decays()}).
 *
 * <p>Its parameters are the network's trainable ones by hierarchical name; its {@link #state()} adds the frozen
 * ones and the buffers, which checkpoints and saved models keep. A trainable parameter the loss does not depend on
 * (a branch that does not reach the output) gets a zero gradient, plus its L2 term.
 */
public class Classifier implements Model {
    private final Module network;
    private final LossFunction loss;
    private final double l2;

    /** The network trained with softmax cross-entropy and L2 strength {@code l2} (0: none). */
    public Classifier(Module network, double l2) {
        this(network, new SoftmaxCrossEntropy(), l2);
    }

    /** The network trained with {@code loss} and L2 strength {@code l2}. */
    public Classifier(Module network, LossFunction loss, double l2) {
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("Classifier: l2 must be >= 0, got " + l2);
        }
        this.network = network;
        this.loss = loss;
        this.l2 = l2;
    }

    /** The network. */
    public Module network() {
        return network;
    }

    /** The L2 strength. */
    public double l2() {
        return l2;
    }

    @Override
    public Map<String, Tensor> params() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        network.parameters().forEach((k, p) -> {
            if (p.trainable()) {
                out.put(k, p.value());
            }
        });
        return out;
    }

    @Override
    public Map<String, Tensor> state() {
        return network.state();
    }

    @Override
    public Map<String, Long> counters() {
        return network.counters();
    }

    @Override
    public void restoreCounters(Map<String, Long> counters) {
        network.restoreCounters(counters);
    }

    @Override
    public Tensor scores(Tensor x) {
        return network.apply(x);
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        Forward<?> f = network instanceof Graph g ? g.forward(Mode.TRAIN, false, x) : network.forward(Mode.TRAIN, x);
        SoftmaxLoss.Result data = loss.compute(f.out(), y);
        Gradients grads = new Gradients();
        for (Tensor dx : network.backward(data.dscores(), f.cache(), grads)) {
            if (dx != null) {
                dx.close();
            }
        }
        data.dscores().close();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        double reg = 0;
        for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
            Parameter p = e.getValue();
            if (!p.trainable()) {
                continue;
            }
            Tensor g = grads.get(p);
            if (g == null) { // the loss does not depend on it (an unused branch): its data gradient is zero
                g = p.value().backend().zeros(p.value().dtype(), p.value().shape());
            }
            if (l2 > 0 && p.decays()) {
                reg += 0.5 * l2 * p.value().sumOfSquares();
                g.addScaled(l2, p.value());
            }
            byName.put(e.getKey(), g);
        }
        return new Loss(data.loss() + reg, byName, f.out());
    }
}
