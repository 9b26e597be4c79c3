package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Ownership;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.SoftmaxLoss;

/**
 * The plain-Java backend: heap arrays, kernels in {@code KernelsF64}/{@code KernelsF32} and
 * {@code GemmF64}/{@code GemmF32}, work split over a fixed pool with one thread per core.
 *
 * <p>Each method here only checks ownership and hands the tensors to the {@link CpuOps} of their precision
 * ({@code OpsF64}, or {@code OpsF32} generated from it), which allocates the result and runs the kernel.
 */
public final class CpuBackend implements Backend {
    private final Parallel par;
    private final CpuOps f64;
    private final CpuOps f32;

    /** A backend using {@code threads} worker threads. */
    public CpuBackend(int threads) {
        this(new Parallel(threads));
    }

    /**
     * A backend using {@code threads} threads that cuts its work as one with {@code splits} threads would, and so
     * computes the same bits: a Spark task given one core reproduces the run that had the whole machine.
     */
    public CpuBackend(int threads, int splits) {
        this(new Parallel(threads, splits));
    }

    private CpuBackend(Parallel par) {
        this.par = par;
        this.f64 = new OpsF64(this, par);
        this.f32 = new OpsF32(this, par);
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** The kernels of {@code t}'s precision. */
    CpuOps ops(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? f64 : f32;
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
        Shape out = Shape.product(a.shape(), transposeA, b.shape(), transposeB);
        return ops(a).matmul(ta, transposeA, same("matmul", ta, b, false), transposeB, out);
    }

    @Override
    public Tensor addRowVector(Tensor m, Tensor v) {
        return ops(m).addRowVector(own(m), own(v));
    }

    @Override
    public Tensor sumRows(Tensor m) {
        return ops(m).sumRows(own(m));
    }

    @Override
    public Tensor clamp(Tensor x, double lo, double hi) {
        return ops(x).clamp(own(x), lo, hi);
    }

    @Override
    public Tensor clampBackward(Tensor dout, Tensor x, double lo, double hi) {
        return ops(x).clampBackward(own(dout), own(x), lo, hi);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        CpuTensor ta = own(a);
        return ops(a).add(ta, same("add", ta, b));
    }

    @Override
    public Saved conv2dForward(Tensor x, Tensor w, Tensor b, Conv2d.Spec spec) {
        return new Saved(ops(x).convForward(own(x), own(w), own(b), geometry(x.shape(), w.shape(), spec)), null);
    }

    @Override
    public Conv2d.Grads conv2dBackward(Tensor dout, Tensor x, Tensor w, Conv2d.Spec spec, Object state) {
        return ops(x).convBackward(own(dout), own(x), own(w), geometry(x.shape(), w.shape(), spec));
    }

    @Override
    public Saved maxPool2dForward(Tensor x, MaxPool2d.Spec spec) {
        Shape s = x.shape();
        Shape outShape = Shape.of(s.dim(0), s.dim(1), spec.outHeight(s.dim(2)), spec.outWidth(s.dim(3)));
        int[] argmax = new int[outShape.intSize()];
        return new Saved(ops(x).maxPoolForward(own(x), spec, outShape, argmax), argmax);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor dout, Tensor x, MaxPool2d.Spec spec, Object state) {
        return ops(dout).maxPoolBackward(own(dout), (int[]) state, x.shape());
    }

    @Override
    public SoftmaxLoss.Result softmaxLoss(Tensor scores, int[] labels, double[] weights) {
        return ops(scores).softmaxLoss(own(scores), labels, weights);
    }

    @Override
    public Tensor tanh(Tensor x) {
        return ops(x).tanh(own(x));
    }

    @Override
    public Tensor tanhBackward(Tensor dout, Tensor y) {
        return ops(y).tanhBackward(own(dout), own(y));
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return ops(x).sigmoid(own(x));
    }

    @Override
    public Tensor sigmoidBackward(Tensor dout, Tensor y) {
        return ops(y).sigmoidBackward(own(dout), own(y));
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        CpuTensor ta = own(a);
        return ops(a).mul(ta, same("mul", ta, b));
    }

    @Override
    public Tensor columns(Tensor m, int from, int to) {
        CpuTensor out = CpuTensor.zeros(this, m.dtype(), Shape.of(m.shape().dim(0), to - from));
        ops(m).columnBlock(own(m), from, out, false);
        return out;
    }

    @Override
    public void setColumns(Tensor m, int from, Tensor src) {
        CpuTensor tm = own(m);
        ops(m).columnBlock(tm, from, same("setColumns", tm, src, false), true);
    }

    @Override
    public Tensor gatherRows(Tensor table, int[] ids) {
        return ops(table).gatherRows(own(table), ids);
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] ids, int rows) {
        return ops(src).scatterAddRows(own(src), ids, rows);
    }

    @Override
    public Tensor channelSums(Tensor x) {
        return ops(x).channelSums(own(x));
    }

    @Override
    public Tensor channelAffine(Tensor x, Tensor scale, Tensor shift) {
        CpuTensor tx = own(x);
        CpuTensor ts = same("channelAffine", tx, scale, false);
        return ops(x).channelAffine(tx, ts, same("channelAffine", ts, shift));
    }

    @Override
    public Tensor avgPool2dForward(Tensor x, AvgPool2d.Spec spec) {
        Shape s = x.shape();
        Shape outShape = Shape.of(s.dim(0), s.dim(1), spec.outHeight(s.dim(2)), spec.outWidth(s.dim(3)));
        return ops(x).avgPoolForward(own(x), spec, outShape);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor dout, Shape xShape, AvgPool2d.Spec spec) {
        return ops(dout).avgPoolBackward(own(dout), xShape, spec);
    }

    @Override
    public Tensor softmax(Tensor x) {
        return ops(x).softmax(own(x));
    }

    @Override
    public Tensor softmaxBackward(Tensor dout, Tensor y) {
        CpuTensor td = own(dout);
        return ops(y).softmaxBackward(td, same("softmaxBackward", td, y));
    }

    /** Fused over the whole sequence ({@link RecurrentF64}): one projection product, one pass per step. */
    @Override
    public Saved rnnForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        return ops(x).rnnForward(own(x), own(h0), own(wx), own(wh), own(b));
    }

    @Override
    public Rnn.Grads rnnBackward(Tensor dh, Object state) {
        return ops(dh).rnnBackward(own(dh), (RecurrentState) state);
    }

    /** Fused as {@link #rnnForward}, the four gates' non-linearities and the cell update in the step's one pass. */
    @Override
    public Saved lstmForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        return ops(x).lstmForward(own(x), own(h0), own(wx), own(wh), own(b));
    }

    @Override
    public Rnn.Grads lstmBackward(Tensor dh, Object state) {
        return ops(dh).lstmBackward(own(dh), (RecurrentState) state);
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
