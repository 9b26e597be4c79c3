package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Tensor;

/**
 * One step of a vanilla RNN: {@code next_h = tanh(x Wx + prev_h Wh + b)}.
 *
 * <p>x is (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H). Backward: with
 * {@code da = dnext_h * (1 - next_h^2)}, {@code dx = da Wx^T}, {@code dprev_h = da Wh^T},
 * {@code dWx = x^T da}, {@code dWh = prev_h^T da}, {@code db = sum_n da[n]}.
 */
public final class RnnStep {
    private RnnStep() {
    }

    /** What the backward pass needs: the inputs, the weights and the output. */
    public record Cache(Tensor x, Tensor prevH, Tensor wx, Tensor wh, Tensor nextH) {
    }

    /** Gradients of the loss with respect to x, prev_h, Wx, Wh and b. */
    public record Grads(Tensor dx, Tensor dprevH, Tensor dwx, Tensor dwh, Tensor db) {
    }

    /** {@code next_h = tanh(x Wx + prev_h Wh + b)}. */
    public static Forward<Cache> forward(Tensor x, Tensor prevH, Tensor wx, Tensor wh, Tensor b) {
        Recurrent.checkStep("RnnStep.forward", x, prevH, wx, wh, b, 1);
        Tensor next = x.backend().tanh(Recurrent.preActivation(x, prevH, wx, wh, b));
        return new Forward<>(next, new Cache(x, prevH, wx, wh, next));
    }

    /** The gradients for the upstream gradient {@code dnextH} (N, H). */
    public static Grads backward(Tensor dnextH, Cache cache) {
        Recurrent.checkGradient("RnnStep.backward", "dnext_h", dnextH, cache.nextH());
        Backend be = dnextH.backend();
        Tensor da = be.tanhBackward(dnextH, cache.nextH());
        return Recurrent.preActivationBackward(da, cache.x(), cache.prevH(), cache.wx(), cache.wh());
    }
}
