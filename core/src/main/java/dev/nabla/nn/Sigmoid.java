package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * The logistic function {@code Y = 1 / (1 + exp(-X))}, element-wise, any shape.
 *
 * <p>Backward: {@code dX = dY * Y * (1 - Y)}, from the output alone.
 */
public final class Sigmoid {
    private Sigmoid() {
    }

    /** What the backward pass needs: the output. */
    public record Cache(Tensor y) {
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Forward<Cache> forward(Tensor x) {
        Tensor y = x.backend().sigmoid(x);
        return new Forward<>(y, new Cache(y));
    }

    /** {@code dout * y * (1 - y)}. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("Sigmoid.backward", dout, cache.y());
        return dout.backend().sigmoidBackward(dout, cache.y());
    }
}
