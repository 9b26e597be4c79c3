package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/** A dense row-major tensor on the Java heap: a {@code double[]} for FLOAT64 or a {@code float[]} for FLOAT32. */
final class CpuTensor implements Tensor {
    private final CpuBackend backend;
    private final Shape shape;
    /** Exactly one of d and f is non-null, by dtype. */
    final double[] d;
    final float[] f;

    CpuTensor(CpuBackend backend, Shape shape, double[] d, float[] f) {
        this.backend = backend;
        this.shape = shape;
        this.d = d;
        this.f = f;
        int n = d != null ? d.length : f.length;
        if (n != shape.size()) {
            throw new IllegalArgumentException("cpu tensor: " + n + " values cannot have shape " + shape);
        }
    }

    static CpuTensor zeros(CpuBackend backend, DType dtype, Shape shape) {
        int n = shape.intSize();
        return dtype == DType.FLOAT64
                ? new CpuTensor(backend, shape, new double[n], null)
                : new CpuTensor(backend, shape, null, new float[n]);
    }

    static CpuTensor zerosF64(CpuBackend backend, Shape shape) {
        return new CpuTensor(backend, shape, new double[shape.intSize()], null);
    }

    static CpuTensor zerosF32(CpuBackend backend, Shape shape) {
        return new CpuTensor(backend, shape, null, new float[shape.intSize()]);
    }

    /** The values of a FLOAT64 tensor: named so that the generated float code reads {@link #dataF32()}. */
    double[] dataF64() {
        return d;
    }

    /** The values of a FLOAT32 tensor. */
    float[] dataF32() {
        return f;
    }

    boolean isF64() {
        return d != null;
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
        return d != null ? DType.FLOAT64 : DType.FLOAT32;
    }

    @Override
    public double getFlat(long i) {
        return d != null ? d[Math.toIntExact(i)] : f[Math.toIntExact(i)];
    }

    @Override
    public void setFlat(long i, double value) {
        if (d != null) {
            d[Math.toIntExact(i)] = value;
        } else {
            f[Math.toIntExact(i)] = (float) value;
        }
    }

    @Override
    public double[] toDoubleArray() {
        if (d != null) {
            return d.clone();
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public float[] toFloatArray() {
        if (f != null) {
            return f.clone();
        }
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    @Override
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + shape + " (" + shape.size()
                    + " elements) as " + newShape + " (" + newShape.size() + " elements)");
        }
        return new CpuTensor(backend, newShape, d, f);
    }

    @Override
    public Tensor copy() {
        return new CpuTensor(backend, shape, d != null ? d.clone() : null, f != null ? f.clone() : null);
    }

    @Override
    public Tensor toDType(DType dtype) {
        return dtype == DType.FLOAT64
                ? new CpuTensor(backend, shape, toDoubleArray(), null)
                : new CpuTensor(backend, shape, null, toFloatArray());
    }

    @Override
    public void assign(Tensor src) {
        CpuTensor s = backend.same("assign", this, src);
        if (d != null) {
            System.arraycopy(s.d, 0, d, 0, d.length);
        } else {
            System.arraycopy(s.f, 0, f, 0, f.length);
        }
    }

    @Override
    public void scale(double alpha) {
        backend.ops(this).scale(this, alpha);
    }

    @Override
    public void addScaled(double alpha, Tensor x) {
        backend.ops(this).addScaled(this, alpha, backend.same("addScaled", this, x));
    }

    @Override
    public void addScaledSquare(double alpha, Tensor x) {
        backend.ops(this).addScaledSquare(this, alpha, backend.same("addScaledSquare", this, x));
    }

    @Override
    public void addScaledRatio(double alpha, Tensor num, Tensor den, double eps) {
        backend.ops(this).addScaledRatio(this, alpha, backend.same("addScaledRatio", this, num),
                backend.same("addScaledRatio", this, den), eps);
    }

    @Override
    public double sum() {
        return backend.ops(this).sum(this);
    }

    @Override
    public double sumOfSquares() {
        return backend.ops(this).sumOfSquares(this);
    }

    @Override
    public String toString() {
        return "CpuTensor" + shape + " " + dtype();
    }
}
