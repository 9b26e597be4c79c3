package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Clipping to {@code [lo, hi]}, element-wise, any shape: {@code Y = min(max(X, lo), hi)} (ONNX's {@code Clip},
 * PyTorch's {@code clamp}; either bound may be infinite). {@link ReLU6} is the case {@code [0, 6]}.
 *
 * <p>Backward (docs/derivations.md, section 14.2): {@code dX = dY} where {@code lo < X < hi}, else 0; at the bounds
 * the gradient is taken as 0, as for ReLU6.
 */
public final class Clip {
    private Clip() {
    }

    /** What the backward pass needs: the input and the bounds. */
    public record Cache(Tensor x, double lo, double hi) {
    }

    /** {@code min(max(x, lo), hi)}; {@code lo <= hi}, neither NaN. */
    public static Forward<Cache> forward(Tensor x, double lo, double hi) {
        Check.that(lo <= hi, "Clip.forward", "the bounds must satisfy lo <= hi (and not be NaN), got [" + lo + ", "
                + hi + "]");
        return new Forward<>(x.backend().clamp(x, lo, hi), new Cache(x, lo, hi));
    }

    /** {@code dout} where the input was strictly inside the bounds, else 0. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("Clip.backward", dout, cache.x());
        return dout.backend().clampBackward(dout, cache.x(), cache.lo(), cache.hi());
    }
}
