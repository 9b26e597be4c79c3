package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Tensor;

/**
 * Leaky rectifier, element-wise, any shape: {@code Y = X} where {@code X > 0}, else {@code alpha X} (PyTorch's
 * {@code nn.LeakyReLU}, ONNX's {@code LeakyRelu}, both with alpha 0.01 by default).
 *
 * <p>Computed from the clamp kernels as {@code max(X, 0) + alpha min(X, 0)}: one of the two terms is exactly 0, so
 * the result is the exact {@code X} or the rounded {@code alpha X}. Backward (docs/derivations.md, section 14.1):
 * {@code dX = dY} where {@code X > 0}, {@code alpha dY} where {@code X < 0}, and 0 at the kink, as ReLU takes it.
 */
public final class LeakyReLU {
    /** PyTorch's and ONNX's default slope for negative inputs. */
    public static final double DEFAULT_ALPHA = 0.01;

    private LeakyReLU() {
    }

    /** What the backward pass needs: the input and the slope. */
    public record Cache(Tensor x, double alpha) {
    }

    /** {@code x} where positive, else {@code alpha x}. */
    public static Forward<Cache> forward(Tensor x, double alpha) {
        Check.that(Double.isFinite(alpha), "LeakyReLU.forward", "alpha must be finite, got " + alpha);
        Backend be = x.backend();
        Tensor y = be.clamp(x, 0, Double.POSITIVE_INFINITY);
        try (Tensor negative = be.clamp(x, Double.NEGATIVE_INFINITY, 0)) {
            y.addScaled(alpha, negative);
        }
        return new Forward<>(y, new Cache(x, alpha));
    }

    /** {@code dout} where the input was positive, {@code alpha dout} where it was negative, else 0. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("LeakyReLU.backward", dout, cache.x());
        Backend be = dout.backend();
        Tensor dx = be.clampBackward(dout, cache.x(), 0, Double.POSITIVE_INFINITY);
        try (Tensor negative = be.clampBackward(dout, cache.x(), Double.NEGATIVE_INFINITY, 0)) {
            dx.addScaled(cache.alpha(), negative);
        }
        return dx;
    }
}
