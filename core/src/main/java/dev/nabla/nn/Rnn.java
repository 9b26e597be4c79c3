package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A vanilla RNN over a sequence: {@link RnnStep} applied at every time step, the hidden state
 * carried from one step to the next.
 *
 * <p>x is (N, T, D), h0 (N, H), Wx (D, H), Wh (H, H), b (H); h is (N, T, H). Backward runs the
 * steps in reverse, adding the gradient flowing back from step t+1 to the upstream gradient of
 * step t, and sums the parameter gradients over time. This is the generic composition; a backend
 * may later serve it faster.
 */
public final class Rnn {
    private Rnn() {
    }

    /** Every step's cache, first to last, and the input's shape. */
    public record Cache(List<RnnStep.Cache> steps, Shape xShape, Tensor h) {
    }

    /** Gradients of the loss with respect to x, h0, Wx, Wh and b. */
    public record Grads(Tensor dx, Tensor dh0, Tensor dwx, Tensor dwh, Tensor db) {
    }

    /** The hidden states of every time step, (N, T, H). */
    public static Forward<Cache> forward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        Recurrent.checkSequence("Rnn.forward", x, h0, wx, wh, b, 1);
        Backend be = x.backend();
        int n = x.shape().dim(0);
        int steps = x.shape().dim(1);
        Tensor h = be.zeros(x.dtype(), Shape.of(n, steps, h0.shape().dim(1)));
        List<RnnStep.Cache> caches = new ArrayList<>(steps);
        Tensor prev = h0;
        for (int t = 0; t < steps; t++) {
            Forward<RnnStep.Cache> step = RnnStep.forward(Recurrent.timeStep(x, t), prev, wx, wh, b);
            Recurrent.setTimeStep(h, t, step.out());
            caches.add(step.cache());
            prev = step.out();
        }
        return new Forward<>(h, new Cache(caches, x.shape(), h));
    }

    /** The gradients for the upstream gradient {@code dh} (N, T, H) of every hidden state. */
    public static Grads backward(Tensor dh, Cache cache) {
        Recurrent.checkGradient("Rnn.backward", "dh", dh, cache.h());
        List<RnnStep.Cache> steps = cache.steps();
        RnnStep.Cache first = steps.get(0);
        Recurrent.Accumulator acc = new Recurrent.Accumulator(cache.xShape(), first.wx(), first.wh());
        Tensor dprev = dh.backend().zeros(dh.dtype(), first.prevH().shape());
        for (int t = steps.size() - 1; t >= 0; t--) {
            Tensor dcur = Recurrent.timeStep(dh, t);
            dcur.addScaled(1, dprev);
            RnnStep.Grads g = RnnStep.backward(dcur, steps.get(t));
            acc.add(t, g.dx(), g.dwx(), g.dwh(), g.db());
            dprev = g.dprevH();
        }
        return new Grads(acc.dx, dprev, acc.dwx, acc.dwh, acc.db);
    }
}
