package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * The hyperbolic tangent, element-wise, any shape.
 *
 * <p>Backward: {@code dX = dY * (1 - Y^2)}, from the output alone.
 */
public final class Tanh {
    private Tanh() {
    }

    /** What the backward pass needs: the output. */
    public record Cache(Tensor y) {
    }

    /** {@code tanh(x)}. */
    public static Forward<Cache> forward(Tensor x) {
        Tensor y = x.backend().tanh(x);
        return new Forward<>(y, new Cache(y));
    }

    /** {@code dout * (1 - y^2)}. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("Tanh.backward", dout, cache.y());
        return dout.backend().tanhBackward(dout, cache.y());
    }
}
