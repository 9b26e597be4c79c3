package dev.nabla.models;

import dev.nabla.Tensor;
import java.util.Map;

/** L2 weight decay as the course writes it: loss {@code 0.5 * reg * sum W^2}, gradient {@code reg * W}. */
final class Regularization {
    private Regularization() {
    }

    /** Adds {@code reg * W} to each named weight's gradient and returns the regularization loss. */
    static double apply(double reg, Map<String, Tensor> params, Map<String, Tensor> grads, String... weights) {
        if (reg == 0) {
            return 0;
        }
        double loss = 0;
        for (String name : weights) {
            Tensor w = params.get(name);
            loss += 0.5 * reg * w.sumOfSquares();
            grads.get(name).addScaled(reg, w);
        }
        return loss;
    }
}
