package dev.nabla.nd4j;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;

/**
 * A tensor held in an ND4J {@link INDArray} in native memory.
 *
 * <p>Invariant: the array is row-major ('c'), starts at offset 0 and spans its whole buffer, so the
 * buffer is the tensor's row-major elements and reshapes are views of it. Kernels that produce a
 * strided view (a crop) copy it before wrapping. {@link #close()} frees the native buffer at once, or
 * hands it back to the backend's {@link BufferPool} when it came from there (then {@link #lease} is
 * set, shared with the tensor's reshapes); otherwise the buffer is freed or pooled when the tensor is
 * garbage collected.
 */
final class Nd4jTensor implements Tensor {
    private final Nd4jBackend backend;
    private final Shape shape;
    final INDArray arr;
    private volatile boolean closed;
    /** The claim on a pooled buffer, or null when ND4J owns the buffer alone. */
    private final BufferPool.Lease lease;

    Nd4jTensor(Nd4jBackend backend, INDArray arr) {
        this(backend, arr, null);
    }

    Nd4jTensor(Nd4jBackend backend, INDArray arr, BufferPool.Lease lease) {
        this.backend = backend;
        this.arr = arr;
        this.lease = lease;
        this.shape = Shape.of(Math.toIntExact(arr.rank()) == 0 ? new int[0] : toInts(arr.shape()));
    }

    static DataType nd4jType(DType dtype) {
        return dtype == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    static long[] longs(Shape shape) {
        int[] d = shape.dims();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i];
        }
        return l;
    }

    private static int[] toInts(long[] dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = Math.toIntExact(dims[i]);
        }
        return d;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return arr.dataType() == DataType.DOUBLE ? DType.FLOAT64 : DType.FLOAT32;
    }

    @Override
    public double getFlat(long i) {
        return arr.data().getDouble(checkIndex(i));
    }

    @Override
    public void setFlat(long i, double value) {
        arr.data().put(checkIndex(i), value);
    }

    private long checkIndex(long i) {
        if (i < 0 || i >= shape.size()) {
            throw new IndexOutOfBoundsException("flat index " + i + " is outside shape " + shape);
        }
        return i;
    }

    @Override
    public double[] toDoubleArray() {
        return arr.data().asDouble();
    }

    @Override
    public float[] toFloatArray() {
        return arr.data().asFloat();
    }

    @Override
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + shape + " (" + shape.size()
                    + " elements) as " + newShape + " (" + newShape.size() + " elements)");
        }
        // A fresh array over the same buffer: always a view, whatever ND4J's reshape would decide.
        // The reshape shares the lease, so the buffer stays out of the pool while either is reachable.
        return new Nd4jTensor(backend, Nd4j.create(arr.data(), longs(newShape)), lease);
    }

    @Override
    public Tensor copy() {
        BufferPool.Taken out = backend.take(arr.dataType(), arr.shape());
        out.array().assign(arr);
        return backend.wrap(out);
    }

    @Override
    public Tensor toDType(DType dtype) {
        DataType target = nd4jType(dtype);
        if (arr.dataType() == target) {
            return copy();
        }
        return backend.wrap(arr.castTo(target));
    }

    @Override
    public void assign(Tensor src) {
        arr.assign(backend.same("assign", this, src).arr);
    }

    @Override
    public void scale(double alpha) {
        arr.muli(alpha);
    }

    @Override
    public void addScaled(double alpha, Tensor x) {
        Nd4j.getBlasWrapper().level1().axpy(arr.length(), alpha, backend.same("addScaled", this, x).arr, arr);
    }

    @Override
    public void addScaledSquare(double alpha, Tensor x) {
        INDArray xa = backend.same("addScaledSquare", this, x).arr;
        // The square goes to a pooled scratch array, returned at once: no allocation per step.
        BufferPool.Taken sq = backend.take(xa.dataType(), xa.shape());
        try {
            xa.mul(xa, sq.array());
            Nd4j.getBlasWrapper().level1().axpy(arr.length(), alpha, sq.array(), arr);
        } finally {
            backend.discard(sq);
        }
    }

    @Override
    public void addScaledRatio(double alpha, Tensor num, Tensor den, double eps) {
        INDArray n = backend.same("addScaledRatio", this, num).arr;
        INDArray d = backend.same("addScaledRatio", this, den).arr;
        BufferPool.Taken scratch = backend.take(d.dataType(), d.shape());
        try {
            INDArray ratio = scratch.array();
            Nd4j.exec(new Sqrt(d, ratio));
            ratio.addi(eps).rdivi(n);
            Nd4j.getBlasWrapper().level1().axpy(arr.length(), alpha, ratio, arr);
        } finally {
            backend.discard(scratch);
        }
    }

    @Override
    public double sum() {
        if (arr.dataType() == DataType.DOUBLE) {
            return arr.sumNumber().doubleValue();
        }
        try (INDArray d = arr.castTo(DataType.DOUBLE)) {
            return d.sumNumber().doubleValue();
        }
    }

    @Override
    public double sumOfSquares() {
        // BLAS ddot accumulates in double; FLOAT32 is widened first so it does too.
        if (arr.dataType() == DataType.DOUBLE) {
            return Nd4j.getBlasWrapper().dot(arr, arr);
        }
        try (INDArray d = arr.castTo(DataType.DOUBLE)) {
            return Nd4j.getBlasWrapper().dot(d, d);
        }
    }

    /** Whether {@link #close()} was called: a pooled buffer may already hold another tensor's values. */
    boolean isClosed() {
        return closed;
    }

    /** Frees the native buffer now; it is shared with reshapes of this tensor, which become unusable too. */
    @Override
    public void close() {
        closed = true;
        if (lease != null) {
            lease.release();
        } else if (arr.closeable()) {
            arr.close();
        }
    }

    @Override
    public String toString() {
        return "Nd4jTensor" + shape + " " + dtype();
    }
}
