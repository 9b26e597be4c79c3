package dev.nabla;

import java.util.Random;

/** Creating tensors from Java values and seeded random numbers, the same on every backend. */
public final class Tensors {
    private Tensors() {
    }

    /** Normally distributed values with standard deviation {@code scale}, drawn from {@code rng} in row-major order. */
    public static Tensor randn(Backend backend, DType dtype, Random rng, double scale, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return backend.fromArray(v, dtype, shape);
    }

    /** Uniform values in [lo, hi), drawn from {@code rng} in row-major order. */
    public static Tensor uniform(Backend backend, DType dtype, Random rng, double lo, double hi, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return backend.fromArray(v, dtype, shape);
    }

    /** A tensor with the given values (row-major) and dimensions. */
    public static Tensor of(Backend backend, DType dtype, double[] values, int... dims) {
        return backend.fromArray(values, dtype, Shape.of(dims));
    }
}
