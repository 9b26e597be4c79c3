package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Rectified linear unit: {@code Y = max(X, 0)}, element-wise, any shape.
 *
 * <p>Backward (docs/derivations.md, section 2): {@code dX = dY * [X > 0]}; at exactly 0 the
 * gradient is taken as 0, as in the course. The backends serve it as the clamp to {@code [0, +inf)}: one kernel
 * pair, the same values for every finite input.
 */
public final class ReLU {
    private ReLU() {
    }

    /** What the backward pass needs: the input. */
    public record Cache(Tensor x) {
    }

    /** {@code max(x, 0)}. */
    public static Forward<Cache> forward(Tensor x) {
        return new Forward<>(x.backend().clamp(x, 0, Double.POSITIVE_INFINITY), new Cache(x));
    }

    /** {@code dout} where the input was positive, else 0. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("ReLU.backward", dout, cache.x());
        return dout.backend().clampBackward(dout, cache.x(), 0, Double.POSITIVE_INFINITY);
    }
}
