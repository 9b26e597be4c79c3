package dev.nabla.nd4j;

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
import java.lang.ref.Reference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ND4J backend: tensors in native memory, kernels from libnd4j (oneDNN for convolution and
 * pooling on x86, BLAS for matrix products, CUDA with the {@code cuda} build profile).
 *
 * <p>Memory: every temporary a kernel makes is closed or handed back before the kernel returns; results come
 * from, and are counted by, the backend's {@link MemoryPolicy} (buffer pool and collection budget).
 *
 * <p>Kernels that libnd4j serves slowly at our shapes have routes of their own, each measured against
 * the op it replaces (see backend-nd4j/README.md): {@link Depthwise} for depthwise convolution,
 * {@link ConvGemm} for 1x1 and few-channel convolution backward, element-wise ReLU/clamp backward.
 */
public final class Nd4jBackend implements Backend {
    private final MemoryPolicy memory = new MemoryPolicy();

    /** Creates the backend; ND4J's natives must already load (see {@link Nd4jBackendProvider}). */
    Nd4jBackend() {
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Tensor zeros(DType dtype, Shape shape) {
        BufferPool.Taken t = take(Nd4jTensor.nd4jType(dtype), Nd4jTensor.longs(shape));
        t.array().assign(0);
        return wrap(t);
    }

    @Override
    public Tensor fromArray(double[] values, DType dtype, Shape shape) {
        checkLength(values.length, shape);
        if (dtype == DType.FLOAT64) {
            BufferPool.Taken t = take(DataType.DOUBLE, Nd4jTensor.longs(shape));
            t.array().data().setData(values);
            return wrap(t);
        }
        return wrap(Nd4j.create(values, Nd4jTensor.longs(shape), Nd4jTensor.nd4jType(dtype)));
    }

    @Override
    public Tensor fromArray(float[] values, DType dtype, Shape shape) {
        checkLength(values.length, shape);
        if (dtype == DType.FLOAT32) {
            // Straight into a (pooled) buffer: one copy, no conversion.
            BufferPool.Taken t = take(DataType.FLOAT, Nd4jTensor.longs(shape));
            t.array().data().setData(values);
            return wrap(t);
        }
        return wrap(Nd4j.create(values, Nd4jTensor.longs(shape), Nd4jTensor.nd4jType(dtype)));
    }

    private static void checkLength(int n, Shape shape) {
        if (n != shape.size()) {
            throw new IllegalArgumentException("nd4j tensor: " + n + " values cannot have shape " + shape);
        }
    }

    @Override
    public Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        Nd4jTensor ta = own(a);
        Nd4jTensor tb = same("matmul", ta, b, false);
        Shape out = Shape.product(a.shape(), transposeA, b.shape(), transposeB);
        // beta = 0: BLAS writes C without reading it, so a recycled buffer needs no zeroing.
        BufferPool.Taken c = take(ta.arr.dataType(), out.dim(0), out.dim(1));
        Nd4j.gemm(ta.arr, tb.arr, c.array(), transposeA, transposeB, 1.0, 0.0);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return wrap(c);
    }

    @Override
    public Tensor addRowVector(Tensor m, Tensor v) {
        INDArray ma = own(m).arr;
        INDArray va = own(v).arr;
        return pooledLike(m, v, out -> out.assign(ma).addiRowVector(va));
    }

    @Override
    public Tensor sumRows(Tensor m) {
        return wrap(own(m).arr.sum(0));
    }

    /** ReLU, the clamp to [0, +inf), is the scalar max alone. */
    @Override
    public Tensor clamp(Tensor x, double lo, double hi) {
        INDArray xa = own(x).arr;
        return pooledLike(x, x, out -> {
            Nd4j.exec(new ScalarMax(xa, null, out, lo));
            if (hi != Double.POSITIVE_INFINITY) {
                Nd4j.exec(new ScalarMin(out, null, out, hi));
            }
        });
    }

    /**
     * {@code dout} where {@code lo < x < hi}, else 0, as {@code dout * (step(x, lo) - step(x, below(hi)))}
     * with {@code below(hi)} the next value under hi in x's type, so {@code x > below(hi)} is exactly
     * {@code x >= hi}: four element-wise ops and one pooled scratch array, no boolean masks. With hi = +inf
     * (ReLU) it is {@code dout * step(x, lo)}, two ops: libnd4j's {@code relu_bp} custom op does the same in
     * one call but measured 3-4 ms on a 3.7 MB array here, against 0.2 ms for these two.
     */
    @Override
    public Tensor clampBackward(Tensor dout, Tensor x, double lo, double hi) {
        INDArray xa = own(x).arr;
        INDArray da = own(dout).arr;
        if (hi == Double.POSITIVE_INFINITY) {
            return pooledLike(x, dout, dx -> {
                Nd4j.exec(new Step(xa, dx, lo));
                dx.muli(da);
            });
        }
        double belowHi = xa.dataType() == DataType.DOUBLE ? Math.nextDown(hi) : Math.nextDown((float) hi);
        BufferPool.Taken dx = take(xa.dataType(), xa.shape());
        BufferPool.Taken atOrAboveHi = take(xa.dataType(), xa.shape());
        try {
            Nd4j.exec(new Step(xa, dx.array(), lo));
            Nd4j.exec(new Step(xa, atOrAboveHi.array(), belowHi));
            dx.array().subi(atOrAboveHi.array()).muli(da);
        } finally {
            discard(atOrAboveHi);
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(dout);
        return wrap(dx);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        INDArray aa = own(a).arr;
        INDArray ba = own(b).arr;
        return pooledLike(a, b, out -> aa.add(ba, out));
    }

    /** Routed by {@link ConvRoutes}: depthwise, 1x1, few-channel and grouped convolutions each their own way. */
    @Override
    public Saved conv2dForward(Tensor x, Tensor w, Tensor b, Conv2d.Spec spec) {
        Tensor out = wrap(ConvRoutes.forward(this, own(x).arr, own(w).arr, own(b).arr, spec));
        Reference.reachabilityFence(x);
        return new Saved(out, null);
    }

    @Override
    public Conv2d.Grads conv2dBackward(Tensor dout, Tensor x, Tensor w, Conv2d.Spec spec, Object state) {
        Conv2d.Grads g = ConvRoutes.backward(this, own(x).arr, own(w).arr, own(dout).arr, spec);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(dout);
        return g;
    }

    @Override
    public Saved maxPool2dForward(Tensor x, MaxPool2d.Spec spec) {
        INDArray xa = own(x).arr;
        Shape s = x.shape();
        BufferPool.Taken out = take(xa.dataType(), s.dim(0), s.dim(1), spec.outHeight(s.dim(2)),
                spec.outWidth(s.dim(3)));
        MaxPool.forward(this, xa, spec, out.array());
        Reference.reachabilityFence(x);
        return new Saved(wrap(out), null);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor dout, Tensor x, MaxPool2d.Spec spec, Object state) {
        INDArray xa = own(x).arr;
        BufferPool.Taken dx = zeroed(xa.dataType(), xa.shape());
        MaxPool.backward(this, xa, own(dout).arr, spec, dx.array());
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(dout);
        return wrap(dx);
    }

    /**
     * loss = -sum(w_n log p[n, y_n]) and dscores = w_n (p - onehot(y)), computed stably: each row is
     * shifted by its maximum, so log p = shifted - log(sum(exp(shifted))) never takes the log of an
     * underflowed 0 (libnd4j's log_softmax does, giving -inf for scores 1000 apart).
     */
    @Override
    public SoftmaxLoss.Result softmaxLoss(Tensor scores, int[] labels, double[] weights) {
        INDArray s = own(scores).arr;
        INDArray dscores = Nd4j.create(s.dataType(), s.shape());
        double loss;
        try (INDArray idx = Nd4j.createFromArray(labels);
             INDArray w = Nd4j.create(weights, new long[] {weights.length, 1}, s.dataType());
             INDArray onehot = Nd4j.create(s.dataType(), s.shape());
             INDArray rowMax = s.max(true, 1);
             INDArray logp = s.subColumnVector(rowMax)) {
            Nd4j.exec(new OneHot(idx, onehot, (int) s.size(1)));
            Nd4j.exec(new Exp(logp, dscores));
            try (INDArray rowSum = dscores.sum(true, 1)) {
                dscores.diviColumnVector(rowSum);
                logp.subiColumnVector(Transforms.log(rowSum, false));
            }
            dscores.subi(onehot).muliColumnVector(w);
            loss = -logp.muli(onehot).muliColumnVector(w).sumNumber().doubleValue();
        }
        return new SoftmaxLoss.Result(loss, wrap(dscores));
    }

    @Override
    public Tensor tanh(Tensor x) {
        return wrap(Transforms.tanh(own(x).arr, true));
    }

    @Override
    public Tensor tanhBackward(Tensor dout, Tensor y) {
        INDArray ya = own(y).arr;
        return wrap(ya.mul(ya).rsubi(1).muli(own(dout).arr));
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return wrap(Transforms.sigmoid(own(x).arr, true));
    }

    @Override
    public Tensor sigmoidBackward(Tensor dout, Tensor y) {
        INDArray ya = own(y).arr;
        return wrap(ya.rsub(1).muli(ya).muli(own(dout).arr));
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        INDArray aa = own(a).arr;
        INDArray ba = own(b).arr;
        return pooledLike(a, b, out -> aa.mul(ba, out));
    }

    @Override
    public Tensor columns(Tensor m, int from, int to) {
        return wrap(own(m).arr.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup('c'));
    }

    @Override
    public void setColumns(Tensor m, int from, Tensor src) {
        INDArray s = own(src).arr;
        own(m).arr.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + s.size(1))).assign(s);
    }

    @Override
    public Tensor gatherRows(Tensor table, int[] ids) {
        INDArray t = own(table).arr;
        INDArray out = Nd4j.create(t.dataType(), ids.length, t.size(1));
        try (INDArray idx = Nd4j.createFromArray(ids)) {
            LibNd4j.gatherRows(t, idx, out);
        }
        return wrap(out);
    }

    /**
     * As {@code onehot(ids)^T . src}: a product sums the rows of a repeated id in a fixed order, where
     * libnd4j's scatter_add may update one row from several threads.
     */
    @Override
    public Tensor scatterAddRows(Tensor src, int[] ids, int rows) {
        INDArray s = own(src).arr;
        INDArray out = Nd4j.create(s.dataType(), rows, s.size(1));
        try (INDArray idx = Nd4j.createFromArray(ids); INDArray onehot = Nd4j.create(s.dataType(), ids.length, rows)) {
            Nd4j.exec(new OneHot(idx, onehot, rows));
            Nd4j.gemm(onehot, s, out, true, false, 1.0, 0.0);
        }
        return wrap(out);
    }

    @Override
    public Tensor channelSums(Tensor x) {
        INDArray xa = own(x).arr;
        INDArray sums = ChannelOps.sums(xa);
        Reference.reachabilityFence(x);
        return wrap(sums);
    }

    @Override
    public Tensor channelAffine(Tensor x, Tensor scale, Tensor shift) {
        INDArray xa = own(x).arr;
        double[] s = same("channelAffine", own(x), scale, false).arr.data().asDouble();
        double[] t = same("channelAffine", own(scale), shift).arr.data().asDouble();
        return pooledLike(x, x, out -> ChannelOps.affine(xa, s, t, out));
    }

    @Override
    public Tensor avgPool2dForward(Tensor x, AvgPool2d.Spec spec) {
        INDArray xa = own(x).arr;
        Shape s = x.shape();
        BufferPool.Taken out = take(xa.dataType(), s.dim(0), s.dim(1), spec.outHeight(s.dim(2)),
                spec.outWidth(s.dim(3)));
        AvgPool.forward(this, xa, spec, out.array());
        Reference.reachabilityFence(x);
        return wrap(out);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor dout, Shape xShape, AvgPool2d.Spec spec) {
        INDArray da = own(dout).arr;
        BufferPool.Taken dx = take(da.dataType(), Nd4jTensor.longs(xShape));
        AvgPool.backward(this, da, xShape, spec, dx.array());
        Reference.reachabilityFence(dout);
        return wrap(dx);
    }

    @Override
    public Tensor softmax(Tensor x) {
        INDArray xa = own(x).arr;
        return pooledLike(x, x, out -> Nd4j.exec(new SoftMax(xa, out, 1)));
    }

    @Override
    public Tensor softmaxBackward(Tensor dout, Tensor y) {
        INDArray da = own(dout).arr;
        INDArray ya = same("softmaxBackward", own(dout), y).arr;
        return pooledLike(y, dout, dx -> {
            try (INDArray prod = da.mul(ya); INDArray dot = prod.sum(true, 1)) {
                dx.assign(da).subiColumnVector(dot).muli(ya);
            }
        });
    }

    /** Fused over the whole sequence: see {@link Recurrent}. */
    @Override
    public Saved rnnForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        return Recurrent.rnnForward(this, own(x), own(h0).arr, own(wx).arr, own(wh).arr, own(b).arr);
    }

    @Override
    public Rnn.Grads rnnBackward(Tensor dh, Object state) {
        return Recurrent.rnnBackward(this, own(dh).arr, (Recurrent.State) state);
    }

    @Override
    public Saved lstmForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        return Recurrent.lstmForward(this, own(x), own(h0).arr, own(wx).arr, own(wh).arr, own(b).arr);
    }

    @Override
    public Rnn.Grads lstmBackward(Tensor dh, Object state) {
        return Recurrent.lstmBackward(this, own(dh).arr, (Recurrent.State) state);
    }

    /**
     * A result shaped and typed like {@code like}, in a pooled buffer that {@code fill} writes whole;
     * both inputs are kept reachable until it has, so neither buffer returns to the pool mid-op.
     */
    private Nd4jTensor pooledLike(Tensor like, Tensor other, java.util.function.Consumer<INDArray> fill) {
        INDArray la = ((Nd4jTensor) like).arr;
        BufferPool.Taken out = take(la.dataType(), la.shape());
        fill.accept(out.array());
        Reference.reachabilityFence(like);
        Reference.reachabilityFence(other);
        return wrap(out);
    }

    /** The array (made by an ND4J op) as a tensor of this backend, counted towards the next collection. */
    Nd4jTensor wrap(INDArray a) {
        memory.count(a);
        return new Nd4jTensor(this, a);
    }

    /** A taken array as a tensor that holds its lease (already counted by {@link #take}). */
    Nd4jTensor wrap(BufferPool.Taken t) {
        return new Nd4jTensor(this, t.array(), t.lease());
    }

    /** A c-order array for a result or a scratch, arbitrary contents: see {@link MemoryPolicy#take}. */
    BufferPool.Taken take(DataType type, long... shape) {
        return memory.take(type, shape);
    }

    /** As {@link #take}, all zeros. */
    BufferPool.Taken zeroed(DataType type, long... shape) {
        BufferPool.Taken t = take(type, shape);
        t.array().assign(0);
        return t;
    }

    /** Gives back a scratch array that no tensor holds. */
    void discard(BufferPool.Taken t) {
        memory.discard(t);
    }

    /** The pool's counters, for diagnostics and tests. */
    String poolStats() {
        return memory.stats();
    }

    /** The tensor as this backend's own; the layer contracts have already checked ownership. */
    Nd4jTensor own(Tensor t) {
        return open(Ownership.own(this, Nd4jTensor.class, t));
    }

    /** A closed tensor's pooled buffer may be serving another tensor: using it fails instead of reading those values. */
    private static Nd4jTensor open(Nd4jTensor t) {
        if (t.isClosed()) {
            throw new IllegalStateException("nd4j backend: " + t + " was closed and cannot be used");
        }
        return t;
    }

    /** {@code other} as this backend's own, matching {@code ref} in dtype (and shape if asked). */
    Nd4jTensor same(String op, Nd4jTensor ref, Tensor other, boolean sameShape) {
        return open(Ownership.same(op, ref, Nd4jTensor.class, other, sameShape));
    }

    Nd4jTensor same(String op, Nd4jTensor ref, Tensor other) {
        return same(op, ref, other, true);
    }
}
