package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An LSTM over a sequence: {@link LstmStep} at every time step, the cell state starting at 0.
 *
 * <p>x is (N, T, D), h0 (N, H), Wx (D, 4H), Wh (H, 4H), b (4H); h is (N, T, H). As in the course
 * the cell state is internal: only the hidden states are returned, so backward takes their
 * gradient alone and carries dh and dc back from each step to the one before. The backend computes it
 * ({@link Backend#lstmForward}); {@link #stepwiseForward} is the generic composition of steps.
 */
public final class Lstm {
    private Lstm() {
    }

    /** What the backward pass needs: the backend's saved state, the input's shape and the output. */
    public record Cache(Object state, Shape xShape, Tensor h) {
    }

    /** The generic composition's state: every step's cache, first to last. */
    private record Steps(List<LstmStep.Cache> steps, Shape xShape) {
    }

    /** The hidden states of every time step, (N, T, H). */
    public static Forward<Cache> forward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        Recurrent.checkSequence("Lstm.forward", x, h0, wx, wh, b, 4);
        Backend.Saved s = x.backend().lstmForward(x, h0, wx, wh, b);
        return new Forward<>(s.out(), new Cache(s.state(), x.shape(), s.out()));
    }

    /** The gradients for the upstream gradient {@code dh} (N, T, H) of every hidden state; the same set as Rnn's. */
    public static Rnn.Grads backward(Tensor dh, Cache cache) {
        Recurrent.checkGradient("Lstm.backward", "dh", dh, cache.h());
        return dh.backend().lstmBackward(dh, cache.state());
    }

    /** The generic forward, {@link LstmStep} at every step; arguments as checked by {@link #forward}. */
    public static Backend.Saved stepwiseForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        Backend be = x.backend();
        int n = x.shape().dim(0);
        int steps = x.shape().dim(1);
        Tensor h = be.zeros(x.dtype(), Shape.of(n, steps, h0.shape().dim(1)));
        List<LstmStep.Cache> caches = new ArrayList<>(steps);
        Tensor prevH = h0;
        Tensor prevC = be.zeros(h0.dtype(), h0.shape());
        for (int t = 0; t < steps; t++) {
            LstmStep.Result step = LstmStep.forward(Recurrent.timeStep(x, t), prevH, prevC, wx, wh, b);
            Recurrent.setTimeStep(h, t, step.nextH());
            caches.add(step.cache());
            prevH = step.nextH();
            prevC = step.nextC();
        }
        return new Backend.Saved(h, new Steps(caches, x.shape()));
    }

    /** The generic backward, for the state of {@link #stepwiseForward}. */
    public static Rnn.Grads stepwiseBackward(Tensor dh, Object state) {
        List<LstmStep.Cache> steps = ((Steps) state).steps();
        LstmStep.Cache first = steps.get(0);
        Recurrent.Accumulator acc = new Recurrent.Accumulator(((Steps) state).xShape(), first.wx(), first.wh());
        Tensor dprevH = dh.backend().zeros(dh.dtype(), first.prevH().shape());
        Tensor dprevC = dh.backend().zeros(dh.dtype(), first.prevH().shape());
        for (int t = steps.size() - 1; t >= 0; t--) {
            Tensor dcur = Recurrent.timeStep(dh, t);
            dcur.addScaled(1, dprevH);
            LstmStep.Grads g = LstmStep.backward(dcur, dprevC, steps.get(t));
            acc.add(t, g.dx(), g.dwx(), g.dwh(), g.db());
            dprevH = g.dprevH();
            dprevC = g.dprevC();
        }
        return new Rnn.Grads(acc.dx, dprevH, acc.dwx, acc.dwh, acc.db);
    }
}
