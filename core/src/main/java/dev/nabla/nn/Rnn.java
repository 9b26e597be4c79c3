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
 * step t, and sums the parameter gradients over time. The backend computes it ({@link Backend#rnnForward}):
 * the generic composition of steps is {@link #stepwiseForward}, which a backend may replace by fused kernels
 * (all steps' input projections in one product, the parameter gradients in one product each).
 */
public final class Rnn {
    private Rnn() {
    }

    /** What the backward pass needs: the backend's saved state, the input's shape and the output. */
    public record Cache(Object state, Shape xShape, Tensor h) {
    }

    /** Gradients of the loss with respect to x, h0, Wx, Wh and b. */
    public record Grads(Tensor dx, Tensor dh0, Tensor dwx, Tensor dwh, Tensor db) {
    }

    /** The generic composition's state: every step's cache, first to last. */
    private record Steps(List<RnnStep.Cache> steps, Shape xShape) {
    }

    /** The hidden states of every time step, (N, T, H). */
    public static Forward<Cache> forward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        Recurrent.checkSequence("Rnn.forward", x, h0, wx, wh, b, 1);
        Backend.Saved s = x.backend().rnnForward(x, h0, wx, wh, b);
        return new Forward<>(s.out(), new Cache(s.state(), x.shape(), s.out()));
    }

    /** The gradients for the upstream gradient {@code dh} (N, T, H) of every hidden state. */
    public static Grads backward(Tensor dh, Cache cache) {
        Recurrent.checkGradient("Rnn.backward", "dh", dh, cache.h());
        return dh.backend().rnnBackward(dh, cache.state());
    }

    /**
     * The generic forward, {@link RnnStep} at every step (what {@link Backend#rnnForward} does unless a backend
     * overrides it); arguments as checked by {@link #forward}.
     */
    public static Backend.Saved stepwiseForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
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
        return new Backend.Saved(h, new Steps(caches, x.shape()));
    }

    /** The generic backward, for the state of {@link #stepwiseForward}. */
    public static Grads stepwiseBackward(Tensor dh, Object state) {
        List<RnnStep.Cache> steps = ((Steps) state).steps();
        RnnStep.Cache first = steps.get(0);
        Recurrent.Accumulator acc = new Recurrent.Accumulator(((Steps) state).xShape(), first.wx(), first.wh());
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
