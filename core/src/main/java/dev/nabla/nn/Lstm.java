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
 * gradient alone and carries dh and dc back from each step to the one before.
 */
public final class Lstm {
    private Lstm() {
    }

    /** Every step's cache, first to last, the input's shape and the output. */
    public record Cache(List<LstmStep.Cache> steps, Shape xShape, Tensor h) {
    }

    /** The hidden states of every time step, (N, T, H). */
    public static Forward<Cache> forward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        Recurrent.checkSequence("Lstm.forward", x, h0, wx, wh, b, 4);
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
        return new Forward<>(h, new Cache(caches, x.shape(), h));
    }

    /** The gradients for the upstream gradient {@code dh} (N, T, H) of every hidden state; the same set as Rnn's. */
    public static Rnn.Grads backward(Tensor dh, Cache cache) {
        Recurrent.checkGradient("Lstm.backward", "dh", dh, cache.h());
        List<LstmStep.Cache> steps = cache.steps();
        LstmStep.Cache first = steps.get(0);
        Recurrent.Accumulator acc = new Recurrent.Accumulator(cache.xShape(), first.wx(), first.wh());
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
