package dev.nabla;

/**
 * An n-dimensional array of {@link DType} elements, owned by one {@link Backend}.
 *
 * <p>Layers never look inside a tensor: they hand it to its backend's kernels. Element access is for
 * tests, gradient checks and small bookkeeping; whole-array conversion moves data in and out of Java.
 * The in-place methods are the few updates optimizers and regularization need. A tensor handed to an
 * operation of another backend is rejected; {@link #copyTo(Backend)} moves it explicitly.
 */
public interface Tensor extends AutoCloseable {

    /** The backend that owns this tensor's memory. */
    Backend backend();

    /** The dimensions. */
    Shape shape();

    /** The element type. */
    DType dtype();

    /** Number of elements. */
    default long size() {
        return shape().size();
    }

    /** One element by its full index. */
    default double get(int... index) {
        return getFlat(shape().offset(index));
    }

    /** One element by its row-major flat position. */
    double getFlat(long i);

    /** Overwrites one element by its row-major flat position (rounded to the dtype). */
    void setFlat(long i, double value);

    /** All elements, row-major, as doubles (a copy). */
    double[] toDoubleArray();

    /** All elements, row-major, as floats (a copy; FLOAT64 values are rounded). */
    float[] toFloatArray();

    /** The same elements seen with another shape of equal size; shares memory with this tensor. */
    Tensor reshape(Shape shape);

    /** Convenience for {@link #reshape(Shape)}. */
    default Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** A new tensor with the same values, backend and dtype. */
    Tensor copy();

    /** A new tensor of this backend with the values converted to {@code dtype}. */
    Tensor toDType(DType dtype);

    /** An explicit copy of this tensor into another backend (or this one). */
    default Tensor copyTo(Backend target) {
        return dtype() == DType.FLOAT64
                ? target.fromArray(toDoubleArray(), dtype(), shape())
                : target.fromArray(toFloatArray(), dtype(), shape());
    }

    /** {@code this = src}, element by element; shapes must match. */
    void assign(Tensor src);

    /** {@code this *= alpha}. */
    void scale(double alpha);

    /** {@code this += alpha * x}. */
    void addScaled(double alpha, Tensor x);

    /** {@code this += alpha * x * x}, element-wise. */
    void addScaledSquare(double alpha, Tensor x);

    /** {@code this += alpha * num / (sqrt(den) + eps)}, element-wise: the step of RMSProp and Adam. */
    void addScaledRatio(double alpha, Tensor num, Tensor den, double eps);

    /** Sum of all elements, accumulated in double. */
    double sum();

    /** Sum of the squares of all elements, accumulated in double (for L2 regularization). */
    double sumOfSquares();

    /** Releases native memory early where the backend holds any; using the tensor afterwards is an error. */
    @Override
    default void close() {
    }
}
