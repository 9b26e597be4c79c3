package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Rectified linear unit: {@code Y = max(X, 0)}, element-wise, any shape.
 *
 * <p>Backward (docs/derivations.md, section 2): {@code dX = dY * [X > 0]}; at exactly 0 the
 * gradient is taken as 0, as in the course.
 */
public final class ReLU {
    private ReLU() {
    }

    /** What the backward pass needs: the input. */
    public record Cache(Tensor x) {
    }

    /** {@code max(x, 0)}. */
    public static Forward<Cache> forward(Tensor x) {
        return new Forward<>(x.backend().relu(x), new Cache(x));
    }

    /** {@code dout} where the input was positive, else 0. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("ReLU.backward", dout, cache.x());
        return dout.backend().reluBackward(dout, cache.x());
    }
}
