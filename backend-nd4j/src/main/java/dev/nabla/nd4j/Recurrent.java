package dev.nabla.nd4j;

import dev.nabla.Backend;
import dev.nabla.nn.Rnn;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The RNN and LSTM over a whole sequence in few ND4J calls, instead of the generic composition's dozen calls and
 * column copies per step.
 *
 * <p>Sequences are held time-major, (T*N, F) with the N rows of step t contiguous, so a step is a row-range view
 * that BLAS reads and writes in place: the input is permuted once, the input projections of all steps are one
 * GEMM into the output (the bias added once), and each step adds its recurrent product with a GEMM of beta 1
 * into that view and applies its non-linearity in place. In backward dx, dWx, dWh and db are one GEMM (or sum)
 * each over all N*T rows. The bias is added before the recurrent product here ({@code (x Wx + b) + h Wh}),
 * and the parameter gradients are summed over all rows at once, so results differ from the composition's by
 * rounding (checked in FLOAT64 by the conformance kit).
 */
final class Recurrent {
    private Recurrent() {
    }

    /** What backward needs: time-major inputs (T*N, D), outputs (T*N, H), the LSTM's gates (T*N, 4H), c, tanh c. */
    record State(Nd4jTensor x, INDArray xT, INDArray h0, INDArray wx, INDArray wh, INDArray hT, INDArray gatesT,
                 INDArray cT, INDArray tanhCT, int n, int steps) {
        int hidden() {
            return (int) h0.size(1);
        }
    }

    static Backend.Saved rnnForward(Nd4jBackend be, Nd4jTensor x, INDArray h0, INDArray wx, INDArray wh,
                                    INDArray b) {
        int n = (int) x.arr.size(0);
        int steps = (int) x.arr.size(1);
        INDArray xT = timeMajor(x.arr);
        INDArray hT = projection(xT, wx, b);
        for (int t = 0; t < steps; t++) {
            INDArray cur = step(hT, t, n);
            Nd4j.gemm(t == 0 ? h0 : step(hT, t - 1, n), wh, cur, false, false, 1.0, 1.0);
            Transforms.tanh(cur, false);
        }
        INDArray h = batchMajor(hT, n, steps);
        return new Backend.Saved(be.wrap(h), new State(x, xT, h0, wx, wh, hT, null, null, null, n, steps));
    }

    static Rnn.Grads rnnBackward(Nd4jBackend be, INDArray dh, State st) {
        int n = st.n();
        INDArray dhT = timeMajor(dh);
        INDArray daT = Nd4j.create(dh.dataType(), dhT.shape());
        INDArray dprev = Nd4j.zeros(dh.dataType(), n, st.hidden());
        for (int t = st.steps() - 1; t >= 0; t--) {
            INDArray y = step(st.hT(), t, n);
            INDArray da = step(daT, t, n);
            dprev.addi(step(dhT, t, n));
            da.assign(y).muli(y).rsubi(1).muli(dprev);
            Nd4j.gemm(da, st.wh(), dprev, false, true, 1.0, 0.0);
        }
        dhT.close();
        return parameterGrads(be, st, daT, dprev);
    }

    static Backend.Saved lstmForward(Nd4jBackend be, Nd4jTensor x, INDArray h0, INDArray wx, INDArray wh,
                                     INDArray b) {
        int n = (int) x.arr.size(0);
        int steps = (int) x.arr.size(1);
        long hid = h0.size(1);
        INDArray xT = timeMajor(x.arr);
        INDArray gT = projection(xT, wx, b);
        INDArray cT = Nd4j.create(xT.dataType(), (long) steps * n, hid);
        INDArray tanhCT = Nd4j.create(xT.dataType(), (long) steps * n, hid);
        INDArray hT = Nd4j.create(xT.dataType(), (long) steps * n, hid);
        try (INDArray ig = Nd4j.create(xT.dataType(), n, hid)) {
            for (int t = 0; t < steps; t++) {
                INDArray g = step(gT, t, n);
                Nd4j.gemm(t == 0 ? h0 : step(hT, t - 1, n), wh, g, false, false, 1.0, 1.0);
                Transforms.sigmoid(block(g, 0, 3, hid), false);
                Transforms.tanh(block(g, 3, 1, hid), false);
                INDArray c = step(cT, t, n);
                ig.assign(block(g, 0, 1, hid)).muli(block(g, 3, 1, hid));
                if (t == 0) {
                    c.assign(ig);
                } else {
                    c.assign(block(g, 1, 1, hid)).muli(step(cT, t - 1, n)).addi(ig);
                }
                INDArray tc = step(tanhCT, t, n).assign(c);
                Transforms.tanh(tc, false);
                step(hT, t, n).assign(block(g, 2, 1, hid)).muli(tc);
            }
        }
        INDArray h = batchMajor(hT, n, steps);
        return new Backend.Saved(be.wrap(h), new State(x, xT, h0, wx, wh, hT, gT, cT, tanhCT, n, steps));
    }

    static Rnn.Grads lstmBackward(Nd4jBackend be, INDArray dh, State st) {
        int n = st.n();
        long hid = st.hidden();
        INDArray dhT = timeMajor(dh);
        INDArray daT = Nd4j.create(dh.dataType(), dhT.size(0), 4 * hid);
        INDArray dnh = Nd4j.zeros(dh.dataType(), n, hid); // dh of the step, after the gradient from t+1 is added
        try (INDArray dc = Nd4j.zeros(dh.dataType(), n, hid); INDArray slope = Nd4j.create(dh.dataType(), n, hid)) {
            for (int t = st.steps() - 1; t >= 0; t--) {
                INDArray g = step(st.gatesT(), t, n);
                INDArray i = block(g, 0, 1, hid);
                INDArray f = block(g, 1, 1, hid);
                INDArray o = block(g, 2, 1, hid);
                INDArray gg = block(g, 3, 1, hid);
                INDArray tc = step(st.tanhCT(), t, n);
                INDArray da = step(daT, t, n);
                dnh.addi(step(dhT, t, n));
                // dc = dnext_c + dh * o * (1 - tanh(c)^2); dc holds dnext_c on entry
                dc.addi(slope.assign(tc).muli(tc).rsubi(1).muli(o).muli(dnh));
                block(da, 0, 1, hid).assign(dc).muli(gg).muli(slope.assign(i).rsubi(1).muli(i));
                if (t == 0) {
                    block(da, 1, 1, hid).assign(0);
                } else {
                    block(da, 1, 1, hid).assign(dc).muli(step(st.cT(), t - 1, n))
                            .muli(slope.assign(f).rsubi(1).muli(f));
                }
                block(da, 2, 1, hid).assign(dnh).muli(tc).muli(slope.assign(o).rsubi(1).muli(o));
                block(da, 3, 1, hid).assign(dc).muli(i).muli(slope.assign(gg).muli(gg).rsubi(1));
                dc.muli(f);
                Nd4j.gemm(da, st.wh(), dnh, false, true, 1.0, 0.0);
            }
        }
        dhT.close();
        return parameterGrads(be, st, daT, dnh);
    }

    /** dx, dWx, dWh, db from every step's pre-activation gradient daT (T*N, gates*H); dh0 as computed. */
    private static Rnn.Grads parameterGrads(Nd4jBackend be, State st, INDArray daT, INDArray dh0) {
        int n = st.n();
        INDArray dxT = Nd4j.create(daT.dataType(), st.xT().shape());
        Nd4j.gemm(daT, st.wx(), dxT, false, true, 1.0, 0.0);
        INDArray dx = batchMajor(dxT, n, st.steps());
        INDArray dwx = Nd4j.create(daT.dataType(), st.wx().shape());
        Nd4j.gemm(st.xT(), daT, dwx, true, false, 1.0, 0.0);
        INDArray dwh = Nd4j.create(daT.dataType(), st.wh().shape());
        try (INDArray prevT = Nd4j.create(daT.dataType(), st.hT().shape())) {
            prevT.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(st.h0());
            if (st.steps() > 1) {
                prevT.get(NDArrayIndex.interval(n, prevT.size(0)), NDArrayIndex.all())
                        .assign(st.hT().get(NDArrayIndex.interval(0, prevT.size(0) - n), NDArrayIndex.all()));
            }
            Nd4j.gemm(prevT, daT, dwh, true, false, 1.0, 0.0);
        }
        INDArray db = daT.sum(0);
        daT.close();
        return new Rnn.Grads(be.wrap(dx), be.wrap(dh0), be.wrap(dwx), be.wrap(dwh), be.wrap(db));
    }

    /** x (N, T, F) as a dense time-major (T*N, F) copy. */
    private static INDArray timeMajor(INDArray x) {
        return x.permute(1, 0, 2).dup('c').reshape('c', x.size(1) * x.size(0), x.size(2));
    }

    /** A time-major (T*N, F) array back as a dense (N, T, F) one. */
    private static INDArray batchMajor(INDArray seqT, int n, int steps) {
        return seqT.reshape('c', steps, n, seqT.size(1)).permute(1, 0, 2).dup('c');
    }

    /** x (T*N, D) . w + b, every step's input projection with the bias. */
    private static INDArray projection(INDArray xT, INDArray w, INDArray b) {
        INDArray out = Nd4j.create(xT.dataType(), xT.size(0), w.size(1));
        Nd4j.gemm(xT, w, out, false, false, 1.0, 0.0);
        return out.addiRowVector(b);
    }

    /** Step t's rows of a time-major array: a contiguous view. */
    private static INDArray step(INDArray seqT, int t, int n) {
        return seqT.get(NDArrayIndex.interval((long) t * n, (long) (t + 1) * n), NDArrayIndex.all());
    }

    /** Gate blocks [first, first + count) of the H-wide column blocks of m (rows, 4H): a view. */
    private static INDArray block(INDArray m, int first, int count, long hid) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(first * hid, (first + count) * hid));
    }
}
