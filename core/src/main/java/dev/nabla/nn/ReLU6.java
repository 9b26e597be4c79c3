package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * ReLU6, MobileNet's bounded activation: {@code Y = min(max(X, 0), 6)}, element-wise, any shape.
 *
 * <p>Backward: {@code dX = dY * [0 < X < 6]}; at the kinks 0 and 6 the gradient is taken as 0, as
 * PyTorch's hardtanh does.
 */
public final class ReLU6 {
    /** The upper bound. */
    public static final double CAP = 6;

    private ReLU6() {
    }

    /** What the backward pass needs: the input. */
    public record Cache(Tensor x) {
    }

    /** {@code min(max(x, 0), 6)}. */
    public static Forward<Cache> forward(Tensor x) {
        return new Forward<>(x.backend().clamp(x, 0, CAP), new Cache(x));
    }

    /** {@code dout} where the input was strictly between 0 and 6, else 0. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("ReLU6.backward", dout, cache.x());
        return dout.backend().clampBackward(dout, cache.x(), 0, CAP);
    }
}
