package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.SoftmaxLoss;

/**
 * {@link CpuOps} in double precision: unpacks the tensors, allocates the outputs and calls {@link KernelsF64},
 * {@link RecurrentF64}. {@code OpsF32} is generated from this file; the interface's scalars are marked as
 * accumulators (see backend-cpu/pom.xml) so that they stay double there.
 */
final class OpsF64 implements CpuOps {
    private final CpuBackend be;
    private final Parallel par;

    OpsF64(CpuBackend be, Parallel par) {
        this.be = be;
        this.par = par;
    }

    private CpuTensor zeros(Shape shape) {
        return CpuTensor.zerosF64(be, shape);
    }

    /** An element-wise kernel of two inputs into a new output of their shape. */
    private interface ElementwiseF64 {
        void apply(double[] a, double[] b, double[] out);
    }

    private CpuTensor map(CpuTensor a, CpuTensor b, ElementwiseF64 kernel) {
        CpuTensor out = zeros(b.shape());
        kernel.apply(a.dataF64(), b.dataF64(), out.dataF64());
        return out;
    }

    @Override
    public CpuTensor matmul(CpuTensor a, boolean transposeA, CpuTensor b, boolean transposeB, Shape out) {
        CpuTensor c = zeros(out);
        int k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        int m = out.dim(0);
        int n = out.dim(1);
        // Accumulating into the fresh zeros gives the same sums and skips zeroing C a second time.
        KernelsF64.matmul(par, transposeA, transposeB, m, n, k, a.dataF64(), 0, transposeA ? m : k, b.dataF64(), 0,
                transposeB ? k : n, c.dataF64(), 0, n, true);
        return c;
    }

    @Override
    public CpuTensor addRowVector(CpuTensor m, CpuTensor v) {
        CpuTensor out = zeros(m.shape());
        KernelsF64.addRowVector(m.dataF64(), m.shape().dim(0), m.shape().dim(1), v.dataF64(), out.dataF64());
        return out;
    }

    @Override
    public CpuTensor sumRows(CpuTensor m) {
        CpuTensor out = zeros(Shape.of(m.shape().dim(1)));
        KernelsF64.sumRows(m.dataF64(), m.shape().dim(0), m.shape().dim(1), out.dataF64());
        return out;
    }

    @Override
    public CpuTensor clamp(CpuTensor x, double/*acc*/ lo, double/*acc*/ hi) {
        CpuTensor y = zeros(x.shape());
        KernelsF64.clamp(par, x.dataF64(), (double) lo, (double) hi, y.dataF64());
        return y;
    }

    @Override
    public CpuTensor clampBackward(CpuTensor dout, CpuTensor x, double/*acc*/ lo, double/*acc*/ hi) {
        CpuTensor dx = zeros(x.shape());
        KernelsF64.clampBackward(par, dout.dataF64(), x.dataF64(), (double) lo, (double) hi, dx.dataF64());
        return dx;
    }

    @Override
    public CpuTensor add(CpuTensor a, CpuTensor b) {
        return map(a, b, (x, y, out) -> KernelsF64.add(par, x, y, out));
    }

    @Override
    public CpuTensor mul(CpuTensor a, CpuTensor b) {
        return map(a, b, KernelsF64::mul);
    }

    @Override
    public CpuTensor tanh(CpuTensor x) {
        return map(x, x, (in, unused, out) -> KernelsF64.tanh(par, in, out));
    }

    @Override
    public CpuTensor tanhBackward(CpuTensor dout, CpuTensor y) {
        return map(dout, y, KernelsF64::tanhBackward);
    }

    @Override
    public CpuTensor sigmoid(CpuTensor x) {
        return map(x, x, (in, unused, out) -> KernelsF64.sigmoid(par, in, out));
    }

    @Override
    public CpuTensor sigmoidBackward(CpuTensor dout, CpuTensor y) {
        return map(dout, y, KernelsF64::sigmoidBackward);
    }

    @Override
    public CpuTensor convForward(CpuTensor x, CpuTensor w, CpuTensor b, ConvGeometry g) {
        CpuTensor y = zeros(Shape.of(g.n(), g.f(), g.oh(), g.ow()));
        KernelsF64.convForward(par, x.dataF64(), w.dataF64(), b.dataF64(), g, y.dataF64());
        return y;
    }

    @Override
    public Conv2d.Grads convBackward(CpuTensor dout, CpuTensor x, CpuTensor w, ConvGeometry g) {
        CpuTensor dx = zeros(x.shape());
        CpuTensor dw = zeros(w.shape());
        CpuTensor db = zeros(Shape.of(g.f()));
        KernelsF64.convBackward(par, dout.dataF64(), x.dataF64(), w.dataF64(), g, dx.dataF64(), dw.dataF64(),
                db.dataF64());
        return new Conv2d.Grads(dx, dw, db);
    }

    @Override
    public CpuTensor maxPoolForward(CpuTensor x, MaxPool2d.Spec spec, Shape outShape, int[] argmax) {
        Shape s = x.shape();
        CpuTensor y = zeros(outShape);
        KernelsF64.maxPoolForward(par, x.dataF64(), s.dim(0) * s.dim(1), s.dim(2), s.dim(3), spec, y.dataF64(),
                argmax);
        return y;
    }

    @Override
    public CpuTensor maxPoolBackward(CpuTensor dout, int[] argmax, Shape xShape) {
        CpuTensor dx = zeros(xShape);
        KernelsF64.maxPoolBackward(par, dout.dataF64(), argmax, xShape.dim(0) * xShape.dim(1),
                dout.shape().dim(2) * dout.shape().dim(3), dx.dataF64());
        return dx;
    }

    @Override
    public SoftmaxLoss.Result softmaxLoss(CpuTensor scores, int[] labels, double/*acc*/[] weights) {
        CpuTensor ds = zeros(scores.shape());
        double/*acc*/ loss = KernelsF64.softmaxLoss(par, scores.dataF64(), scores.shape().dim(0),
                scores.shape().dim(1), labels, weights, ds.dataF64());
        return new SoftmaxLoss.Result(loss, ds);
    }

    @Override
    public void columnBlock(CpuTensor m, int from, CpuTensor block, boolean put) {
        KernelsF64.columnBlock(m.dataF64(), m.shape().dim(0), m.shape().dim(1), from, block.shape().dim(1),
                block.dataF64(), put);
    }

    @Override
    public CpuTensor gatherRows(CpuTensor table, int[] ids) {
        int width = table.shape().dim(1);
        CpuTensor out = zeros(Shape.of(ids.length, width));
        KernelsF64.gatherRows(table.dataF64(), width, ids, out.dataF64());
        return out;
    }

    @Override
    public CpuTensor scatterAddRows(CpuTensor src, int[] ids, int rows) {
        int width = src.shape().dim(1);
        CpuTensor out = zeros(Shape.of(rows, width));
        KernelsF64.scatterAddRows(src.dataF64(), width, ids, out.dataF64());
        return out;
    }

    @Override
    public CpuTensor channelSums(CpuTensor x) {
        Shape s = x.shape();
        CpuTensor out = zeros(Shape.of(s.dim(1)));
        KernelsF64.channelSums(x.dataF64(), s.dim(0), s.dim(1), s.sizeFrom(2), out.dataF64());
        return out;
    }

    @Override
    public CpuTensor channelAffine(CpuTensor x, CpuTensor scale, CpuTensor shift) {
        Shape s = x.shape();
        CpuTensor y = zeros(s);
        KernelsF64.channelAffine(par, x.dataF64(), s.dim(0), s.dim(1), s.sizeFrom(2), scale.dataF64(),
                shift.dataF64(), y.dataF64());
        return y;
    }

    @Override
    public CpuTensor avgPoolForward(CpuTensor x, AvgPool2d.Spec spec, Shape outShape) {
        Shape s = x.shape();
        CpuTensor y = zeros(outShape);
        KernelsF64.avgPoolForward(par, x.dataF64(), s.dim(0) * s.dim(1), s.dim(2), s.dim(3), spec, y.dataF64());
        return y;
    }

    @Override
    public CpuTensor avgPoolBackward(CpuTensor dout, Shape xShape, AvgPool2d.Spec spec) {
        CpuTensor dx = zeros(xShape);
        KernelsF64.avgPoolBackward(par, dout.dataF64(), xShape.dim(0) * xShape.dim(1), xShape.dim(2),
                xShape.dim(3), spec, dx.dataF64());
        return dx;
    }

    @Override
    public CpuTensor softmax(CpuTensor x) {
        CpuTensor y = zeros(x.shape());
        KernelsF64.softmax(par, x.dataF64(), x.shape().dim(0), x.shape().dim(1), y.dataF64());
        return y;
    }

    @Override
    public CpuTensor softmaxBackward(CpuTensor dout, CpuTensor y) {
        CpuTensor dx = zeros(y.shape());
        KernelsF64.softmaxBackward(dout.dataF64(), y.dataF64(), y.shape().dim(0), y.shape().dim(1), dx.dataF64());
        return dx;
    }

    @Override
    public Backend.Saved rnnForward(CpuTensor x, CpuTensor h0, CpuTensor wx, CpuTensor wh, CpuTensor b) {
        Shape s = x.shape();
        int hid = h0.shape().dim(1);
        CpuTensor h = zeros(Shape.of(s.dim(0), s.dim(1), hid));
        RecurrentF64.rnnForward(par, x.dataF64(), h0.dataF64(), wx.dataF64(), wh.dataF64(), b.dataF64(), s.dim(0),
                s.dim(1), s.dim(2), hid, h.dataF64());
        return new Backend.Saved(h, new RecurrentState(x, h0, wx, wh, h, null, null, null));
    }

    @Override
    public Rnn.Grads rnnBackward(CpuTensor dh, RecurrentState st) {
        Rnn.Grads g = grads(st, 1);
        CpuTensor da = zeros(st.h().shape());
        RecurrentF64.rnnBackward(par, dh.dataF64(), st.h().dataF64(), st.wh().dataF64(), st.n(), st.steps(),
                st.hidden(), da.dataF64(), ((CpuTensor) g.dh0()).dataF64());
        parameterGrads(st, da, 1, g);
        return g;
    }

    @Override
    public Backend.Saved lstmForward(CpuTensor x, CpuTensor h0, CpuTensor wx, CpuTensor wh, CpuTensor b) {
        Shape s = x.shape();
        int hid = h0.shape().dim(1);
        Shape hs = Shape.of(s.dim(0), s.dim(1), hid);
        CpuTensor h = zeros(hs);
        CpuTensor gates = zeros(Shape.of(s.dim(0), s.dim(1), 4 * hid));
        CpuTensor c = zeros(hs);
        CpuTensor tanhC = zeros(hs);
        RecurrentF64.lstmForward(par, x.dataF64(), h0.dataF64(), wx.dataF64(), wh.dataF64(), b.dataF64(), s.dim(0),
                s.dim(1), s.dim(2), hid, gates.dataF64(), c.dataF64(), tanhC.dataF64(), h.dataF64());
        return new Backend.Saved(h, new RecurrentState(x, h0, wx, wh, h, gates, c, tanhC));
    }

    @Override
    public Rnn.Grads lstmBackward(CpuTensor dh, RecurrentState st) {
        Rnn.Grads g = grads(st, 4);
        CpuTensor da = zeros(st.gates().shape());
        RecurrentF64.lstmBackward(par, dh.dataF64(), st.gates().dataF64(), st.c().dataF64(), st.tanhC().dataF64(),
                st.wh().dataF64(), st.n(), st.steps(), st.hidden(), da.dataF64(), ((CpuTensor) g.dh0()).dataF64());
        parameterGrads(st, da, 4, g);
        return g;
    }

    /** Zeroed gradients of a sequence layer with {@code gates} column blocks. */
    private Rnn.Grads grads(RecurrentState st, int gates) {
        return new Rnn.Grads(zeros(st.x().shape()), zeros(st.h0().shape()), zeros(st.wx().shape()),
                zeros(st.wh().shape()), zeros(Shape.of(gates * st.hidden())));
    }

    /** dx, dWx, dWh and db from the pre-activation gradients {@code da} (N, T, gates*H) of every step. */
    private void parameterGrads(RecurrentState st, CpuTensor da, int gates, Rnn.Grads g) {
        RecurrentF64.parameterGrads(par, st.x().dataF64(), st.h0().dataF64(), st.h().dataF64(), st.wx().dataF64(),
                da.dataF64(), st.n(), st.steps(), st.inputs(), st.hidden(), gates, ((CpuTensor) g.dx()).dataF64(),
                ((CpuTensor) g.dwx()).dataF64(), ((CpuTensor) g.dwh()).dataF64(), ((CpuTensor) g.db()).dataF64());
    }

    @Override
    public void scale(CpuTensor y, double/*acc*/ alpha) {
        KernelsF64.scale(y.dataF64(), (double) alpha);
    }

    @Override
    public void addScaled(CpuTensor y, double/*acc*/ alpha, CpuTensor x) {
        KernelsF64.addScaled(y.dataF64(), (double) alpha, x.dataF64());
    }

    @Override
    public void addScaledSquare(CpuTensor y, double/*acc*/ alpha, CpuTensor x) {
        KernelsF64.addScaledSquare(y.dataF64(), (double) alpha, x.dataF64());
    }

    @Override
    public void addScaledRatio(CpuTensor y, double/*acc*/ alpha, CpuTensor num, CpuTensor den, double/*acc*/ eps) {
        KernelsF64.addScaledRatio(y.dataF64(), (double) alpha, num.dataF64(), den.dataF64(), (double) eps);
    }

    @Override
    public double/*acc*/ sum(CpuTensor x) {
        return KernelsF64.sum(x.dataF64());
    }

    @Override
    public double/*acc*/ sumOfSquares(CpuTensor x) {
        return KernelsF64.sumOfSquares(x.dataF64());
    }
}
