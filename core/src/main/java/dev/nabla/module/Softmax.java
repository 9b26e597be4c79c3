package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.nn.Softmax.Cache;

/**
 * The row softmax of (N, C) scores as an output layer: probabilities for inference, over the
 * {@link dev.nabla.nn.Softmax} contract. To train a classifier, put {@link SoftmaxCrossEntropy} on the scores instead.
 */
public final class Softmax extends Activation {
    /** The layer; it has no parameters. */
    public Softmax() {
        super(dev.nabla.nn.Softmax::forward, (dout, cache) -> dev.nabla.nn.Softmax.backward(dout, (Cache) cache));
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() != 2) {
            throw mismatch("(N, C)", x);
        }
        return x;
    }
}
