package dev.nabla;

import java.util.Arrays;

/** The immutable dimensions of a tensor, outermost first, printed NumPy-style as {@code (2, 3)}. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("Shape: dimension " + i + " is negative in " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /** A shape with the given dimensions. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end, as in NumPy. */
    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (the product of the dimensions). */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Number of elements as an int, failing clearly for tensors too large for one Java array. */
    public int intSize() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Shape " + this + " has " + n + " elements, more than one array can hold");
        }
        return (int) n;
    }

    /** Product of the dimensions from {@code axis} on: the per-sample size when axis is 1. */
    public int sizeFrom(int axis) {
        long n = 1;
        for (int i = axis; i < dims.length; i++) {
            n *= dims[i];
        }
        return Math.toIntExact(n);
    }

    /** Row-major flat offset of a full index, checking each coordinate. */
    public long offset(int... index) {
        if (index.length != dims.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates but the shape " + this + " has " + dims.length);
        }
        long off = 0;
        for (int i = 0; i < dims.length; i++) {
            if (index[i] < 0 || index[i] >= dims[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + this);
            }
            off = off * dims[i] + index[i];
        }
        return off;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    /**
     * The shape of the matrix product {@code op(a) . op(b)} of two 2-D shapes, op transposing where asked; the check
     * every backend's matmul makes, written once: shapes that do not multiply fail naming both.
     */
    public static Shape product(Shape a, boolean transposeA, Shape b, boolean transposeB) {
        if (a.rank() != 2 || b.rank() != 2
                || (transposeA ? a.dim(0) : a.dim(1)) != (transposeB ? b.dim(1) : b.dim(0))) {
            throw new IllegalArgumentException("matmul: cannot multiply " + a + (transposeA ? "^T" : "") + " by "
                    + b + (transposeB ? "^T" : ""));
        }
        return of(transposeA ? a.dim(1) : a.dim(0), transposeB ? b.dim(0) : b.dim(1));
    }
}
