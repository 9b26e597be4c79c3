package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Ownership;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.SoftmaxLoss;

/**
 * The plain-Java backend: heap arrays, kernels in {@code KernelsF64}/{@code KernelsF32} and
 * {@code GemmF64}/{@code GemmF32}, work split over a fixed pool with one thread per core.
 *
 * <p>Each method here only unpacks tensors and picks the kernel of the right precision.
 */
public final class CpuBackend implements Backend {
    private final Parallel par;

    /** A backend using {@code threads} worker threads. */
    public CpuBackend(int threads) {
        this.par = new Parallel(threads);
    }

    /**
     * A backend using {@code threads} threads that cuts its work as one with {@code splits} threads would, and so
     * computes the same bits: a Spark task given one core reproduces the run that had the whole machine.
     */
    public CpuBackend(int threads, int splits) {
        this.par = new Parallel(threads, splits);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Tensor zeros(DType dtype, Shape shape) {
        return CpuTensor.zeros(this, dtype, shape);
    }

    @Override
    public Tensor fromArray(double[] values, DType dtype, Shape shape) {
        if (dtype == DType.FLOAT64) {
            return new CpuTensor(this, shape, values.clone(), null);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new CpuTensor(this, shape, null, f);
    }

    @Override
    public Tensor fromArray(float[] values, DType dtype, Shape shape) {
        if (dtype == DType.FLOAT32) {
            return new CpuTensor(this, shape, null, values.clone());
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new CpuTensor(this, shape, d, null);
    }

    @Override
    public Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        CpuTensor ta = own(a);
        CpuTensor tb = same("matmul", ta, b, false);
        Shape sa = a.shape();
        Shape sb = b.shape();
        int m = transposeA ? sa.dim(1) : sa.dim(0);
        int k = transposeA ? sa.dim(0) : sa.dim(1);
        int kb = transposeB ? sb.dim(1) : sb.dim(0);
        int n = transposeB ? sb.dim(0) : sb.dim(1);
        if (sa.rank() != 2 || sb.rank() != 2 || k != kb) {
            throw new IllegalArgumentException("matmul: cannot multiply " + sa + (transposeA ? "^T" : "") + " by "
                    + sb + (transposeB ? "^T" : ""));
        }
        CpuTensor c = CpuTensor.zeros(this, a.dtype(), Shape.of(m, n));
        if (ta.isF64()) {
            KernelsF64.matmul(par, transposeA, transposeB, m, n, k, ta.d, tb.d, c.d);
        } else {
            KernelsF32.matmul(par, transposeA, transposeB, m, n, k, ta.f, tb.f, c.f);
        }
        return c;
    }

    @Override
    public Tensor addRowVector(Tensor m, Tensor v) {
        CpuTensor tm = own(m);
        CpuTensor tv = own(v);
        CpuTensor out = CpuTensor.zeros(this, m.dtype(), m.shape());
        int rows = m.shape().dim(0);
        int cols = m.shape().dim(1);
        if (tm.isF64()) {
            KernelsF64.addRowVector(tm.d, rows, cols, tv.d, out.d);
        } else {
            KernelsF32.addRowVector(tm.f, rows, cols, tv.f, out.f);
        }
        return out;
    }

    @Override
    public Tensor sumRows(Tensor m) {
        CpuTensor tm = own(m);
        int rows = m.shape().dim(0);
        int cols = m.shape().dim(1);
        CpuTensor out = CpuTensor.zeros(this, m.dtype(), Shape.of(cols));
        if (tm.isF64()) {
            KernelsF64.sumRows(tm.d, rows, cols, out.d);
        } else {
            KernelsF32.sumRows(tm.f, rows, cols, out.f);
        }
        return out;
    }

    @Override
    public Tensor relu(Tensor x) {
        CpuTensor tx = own(x);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (tx.isF64()) {
            KernelsF64.relu(par, tx.d, y.d);
        } else {
            KernelsF32.relu(par, tx.f, y.f);
        }
        return y;
    }

    @Override
    public Tensor reluBackward(Tensor dout, Tensor x) {
        CpuTensor td = own(dout);
        CpuTensor tx = own(x);
        CpuTensor dx = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (tx.isF64()) {
            KernelsF64.reluBackward(par, td.d, tx.d, dx.d);
        } else {
            KernelsF32.reluBackward(par, td.f, tx.f, dx.f);
        }
        return dx;
    }

    @Override
    public Tensor clamp(Tensor x, double lo, double hi) {
        CpuTensor tx = own(x);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (tx.isF64()) {
            KernelsF64.clamp(par, tx.d, lo, hi, y.d);
        } else {
            KernelsF32.clamp(par, tx.f, (float) lo, (float) hi, y.f);
        }
        return y;
    }

    @Override
    public Tensor clampBackward(Tensor dout, Tensor x, double lo, double hi) {
        CpuTensor td = own(dout);
        CpuTensor tx = own(x);
        CpuTensor dx = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (tx.isF64()) {
            KernelsF64.clampBackward(par, td.d, tx.d, lo, hi, dx.d);
        } else {
            KernelsF32.clampBackward(par, td.f, tx.f, (float) lo, (float) hi, dx.f);
        }
        return dx;
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        CpuTensor ta = own(a);
        CpuTensor tb = same("add", ta, b, true);
        CpuTensor out = CpuTensor.zeros(this, a.dtype(), a.shape());
        if (ta.isF64()) {
            KernelsF64.add(par, ta.d, tb.d, out.d);
        } else {
            KernelsF32.add(par, ta.f, tb.f, out.f);
        }
        return out;
    }

    @Override
    public Saved conv2dForward(Tensor x, Tensor w, Tensor b, Conv2d.Spec spec) {
        ConvGeometry g = geometry(x.shape(), w.shape(), spec);
        CpuTensor tx = own(x);
        CpuTensor tw = own(w);
        CpuTensor tb = own(b);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), Shape.of(g.n(), g.f(), g.oh(), g.ow()));
        if (tx.isF64()) {
            KernelsF64.convForward(par, tx.d, tw.d, tb.d, g, y.d);
        } else {
            KernelsF32.convForward(par, tx.f, tw.f, tb.f, g, y.f);
        }
        return new Saved(y, null);
    }

    @Override
    public Conv2d.Grads conv2dBackward(Tensor dout, Tensor x, Tensor w, Conv2d.Spec spec, Object state) {
        ConvGeometry g = geometry(x.shape(), w.shape(), spec);
        CpuTensor td = own(dout);
        CpuTensor tx = own(x);
        CpuTensor tw = own(w);
        CpuTensor dx = CpuTensor.zeros(this, x.dtype(), x.shape());
        CpuTensor dw = CpuTensor.zeros(this, x.dtype(), w.shape());
        CpuTensor db = CpuTensor.zeros(this, x.dtype(), Shape.of(g.f()));
        if (tx.isF64()) {
            KernelsF64.convBackward(par, td.d, tx.d, tw.d, g, dx.d, dw.d, db.d);
        } else {
            KernelsF32.convBackward(par, td.f, tx.f, tw.f, g, dx.f, dw.f, db.f);
        }
        return new Conv2d.Grads(dx, dw, db);
    }

    @Override
    public Saved maxPool2dForward(Tensor x, MaxPool2d.Spec spec) {
        CpuTensor tx = own(x);
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1);
        Shape outShape = Shape.of(s.dim(0), s.dim(1), spec.outHeight(s.dim(2)), spec.outWidth(s.dim(3)));
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), outShape);
        int[] argmax = new int[outShape.intSize()];
        if (tx.isF64()) {
            KernelsF64.maxPoolForward(par, tx.d, planes, s.dim(2), s.dim(3), spec, y.d, argmax);
        } else {
            KernelsF32.maxPoolForward(par, tx.f, planes, s.dim(2), s.dim(3), spec, y.f, argmax);
        }
        return new Saved(y, argmax);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor dout, Tensor x, MaxPool2d.Spec spec, Object state) {
        CpuTensor td = own(dout);
        int[] argmax = (int[]) state;
        int planes = x.shape().dim(0) * x.shape().dim(1);
        int outPerPlane = dout.shape().dim(2) * dout.shape().dim(3);
        CpuTensor dx = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (td.isF64()) {
            KernelsF64.maxPoolBackward(par, td.d, argmax, planes, outPerPlane, dx.d);
        } else {
            KernelsF32.maxPoolBackward(par, td.f, argmax, planes, outPerPlane, dx.f);
        }
        return dx;
    }

    @Override
    public SoftmaxLoss.Result softmaxLoss(Tensor scores, int[] labels, double[] weights) {
        CpuTensor ts = own(scores);
        int n = scores.shape().dim(0);
        int c = scores.shape().dim(1);
        CpuTensor ds = CpuTensor.zeros(this, scores.dtype(), scores.shape());
        double loss = ts.isF64()
                ? KernelsF64.softmaxLoss(ts.d, n, c, labels, weights, ds.d)
                : KernelsF32.softmaxLoss(ts.f, n, c, labels, weights, ds.f);
        return new SoftmaxLoss.Result(loss, ds);
    }

    @Override
    public Tensor tanh(Tensor x) {
        CpuTensor tx = own(x);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (tx.isF64()) {
            KernelsF64.tanh(par, tx.d, y.d);
        } else {
            KernelsF32.tanh(par, tx.f, y.f);
        }
        return y;
    }

    @Override
    public Tensor tanhBackward(Tensor dout, Tensor y) {
        CpuTensor td = own(dout);
        CpuTensor ty = own(y);
        CpuTensor dx = CpuTensor.zeros(this, y.dtype(), y.shape());
        if (ty.isF64()) {
            KernelsF64.tanhBackward(td.d, ty.d, dx.d);
        } else {
            KernelsF32.tanhBackward(td.f, ty.f, dx.f);
        }
        return dx;
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        CpuTensor tx = own(x);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), x.shape());
        if (tx.isF64()) {
            KernelsF64.sigmoid(par, tx.d, y.d);
        } else {
            KernelsF32.sigmoid(par, tx.f, y.f);
        }
        return y;
    }

    @Override
    public Tensor sigmoidBackward(Tensor dout, Tensor y) {
        CpuTensor td = own(dout);
        CpuTensor ty = own(y);
        CpuTensor dx = CpuTensor.zeros(this, y.dtype(), y.shape());
        if (ty.isF64()) {
            KernelsF64.sigmoidBackward(td.d, ty.d, dx.d);
        } else {
            KernelsF32.sigmoidBackward(td.f, ty.f, dx.f);
        }
        return dx;
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        CpuTensor ta = own(a);
        CpuTensor tb = same("mul", ta, b);
        CpuTensor out = CpuTensor.zeros(this, a.dtype(), a.shape());
        if (ta.isF64()) {
            KernelsF64.mul(ta.d, tb.d, out.d);
        } else {
            KernelsF32.mul(ta.f, tb.f, out.f);
        }
        return out;
    }

    @Override
    public Tensor columns(Tensor m, int from, int to) {
        CpuTensor tm = own(m);
        int rows = m.shape().dim(0);
        CpuTensor out = CpuTensor.zeros(this, m.dtype(), Shape.of(rows, to - from));
        columnBlock(tm, from, out, false);
        return out;
    }

    @Override
    public void setColumns(Tensor m, int from, Tensor src) {
        columnBlock(own(m), from, same("setColumns", own(m), src, false), true);
    }

    private static void columnBlock(CpuTensor m, int from, CpuTensor block, boolean put) {
        int rows = m.shape().dim(0);
        int cols = m.shape().dim(1);
        int width = block.shape().dim(1);
        if (m.isF64()) {
            KernelsF64.columnBlock(m.d, rows, cols, from, width, block.d, put);
        } else {
            KernelsF32.columnBlock(m.f, rows, cols, from, width, block.f, put);
        }
    }

    @Override
    public Tensor gatherRows(Tensor table, int[] ids) {
        CpuTensor tt = own(table);
        int width = table.shape().dim(1);
        CpuTensor out = CpuTensor.zeros(this, table.dtype(), Shape.of(ids.length, width));
        if (tt.isF64()) {
            KernelsF64.gatherRows(tt.d, width, ids, out.d);
        } else {
            KernelsF32.gatherRows(tt.f, width, ids, out.f);
        }
        return out;
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] ids, int rows) {
        CpuTensor ts = own(src);
        int width = src.shape().dim(1);
        CpuTensor out = CpuTensor.zeros(this, src.dtype(), Shape.of(rows, width));
        if (ts.isF64()) {
            KernelsF64.scatterAddRows(ts.d, width, ids, out.d);
        } else {
            KernelsF32.scatterAddRows(ts.f, width, ids, out.f);
        }
        return out;
    }

    @Override
    public Tensor channelSums(Tensor x) {
        CpuTensor tx = own(x);
        Shape s = x.shape();
        CpuTensor out = CpuTensor.zeros(this, x.dtype(), Shape.of(s.dim(1)));
        if (tx.isF64()) {
            KernelsF64.channelSums(tx.d, s.dim(0), s.dim(1), s.sizeFrom(2), out.d);
        } else {
            KernelsF32.channelSums(tx.f, s.dim(0), s.dim(1), s.sizeFrom(2), out.f);
        }
        return out;
    }

    @Override
    public Tensor channelAffine(Tensor x, Tensor scale, Tensor shift) {
        CpuTensor tx = own(x);
        CpuTensor ts = same("channelAffine", tx, scale, false);
        CpuTensor tt = same("channelAffine", ts, shift);
        Shape s = x.shape();
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), s);
        if (tx.isF64()) {
            KernelsF64.channelAffine(par, tx.d, s.dim(0), s.dim(1), s.sizeFrom(2), ts.d, tt.d, y.d);
        } else {
            KernelsF32.channelAffine(par, tx.f, s.dim(0), s.dim(1), s.sizeFrom(2), ts.f, tt.f, y.f);
        }
        return y;
    }

    @Override
    public Tensor avgPool2dForward(Tensor x, AvgPool2d.Spec spec) {
        CpuTensor tx = own(x);
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), Shape.of(s.dim(0), s.dim(1), spec.outHeight(s.dim(2)),
                spec.outWidth(s.dim(3))));
        if (tx.isF64()) {
            KernelsF64.avgPoolForward(par, tx.d, planes, s.dim(2), s.dim(3), spec, y.d);
        } else {
            KernelsF32.avgPoolForward(par, tx.f, planes, s.dim(2), s.dim(3), spec, y.f);
        }
        return y;
    }

    @Override
    public Tensor avgPool2dBackward(Tensor dout, Shape xShape, AvgPool2d.Spec spec) {
        CpuTensor td = own(dout);
        int planes = xShape.dim(0) * xShape.dim(1);
        CpuTensor dx = CpuTensor.zeros(this, dout.dtype(), xShape);
        if (td.isF64()) {
            KernelsF64.avgPoolBackward(par, td.d, planes, xShape.dim(2), xShape.dim(3), spec, dx.d);
        } else {
            KernelsF32.avgPoolBackward(par, td.f, planes, xShape.dim(2), xShape.dim(3), spec, dx.f);
        }
        return dx;
    }

    @Override
    public Tensor softmax(Tensor x) {
        CpuTensor tx = own(x);
        CpuTensor y = CpuTensor.zeros(this, x.dtype(), x.shape());
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        if (tx.isF64()) {
            KernelsF64.softmax(par, tx.d, n, c, y.d);
        } else {
            KernelsF32.softmax(par, tx.f, n, c, y.f);
        }
        return y;
    }

    @Override
    public Tensor softmaxBackward(Tensor dout, Tensor y) {
        CpuTensor td = own(dout);
        CpuTensor ty = same("softmaxBackward", td, y);
        CpuTensor dx = CpuTensor.zeros(this, y.dtype(), y.shape());
        int n = y.shape().dim(0);
        int c = y.shape().dim(1);
        if (ty.isF64()) {
            KernelsF64.softmaxBackward(td.d, ty.d, n, c, dx.d);
        } else {
            KernelsF32.softmaxBackward(td.f, ty.f, n, c, dx.f);
        }
        return dx;
    }

    private static ConvGeometry geometry(Shape x, Shape w, Conv2d.Spec spec) {
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                spec.outHeight(x.dim(2), w.dim(2)), spec.outWidth(x.dim(3), w.dim(3)),
                spec.strideH(), spec.strideW(), spec.padTop(), spec.padLeft(), spec.groups());
    }

    /** The tensor as this backend's own; the layer contracts have already checked ownership. */
    CpuTensor own(Tensor t) {
        return Ownership.own(this, CpuTensor.class, t);
    }

    /** {@code other} as this backend's own, matching {@code ref} in dtype (and shape if asked). */
    CpuTensor same(String op, CpuTensor ref, Tensor other, boolean sameShape) {
        return Ownership.same(op, ref, CpuTensor.class, other, sameShape);
    }

    CpuTensor same(String op, CpuTensor ref, Tensor other) {
        return same(op, ref, other, true);
    }
}
