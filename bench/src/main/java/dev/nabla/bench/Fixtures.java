package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import java.util.Random;

/** Seeded random inputs, shared by the workload runner and the JMH benchmarks so both measure the same data. */
final class Fixtures {
    /** Every workload draws from this seed, so two runs (and two backends) see the same numbers. */
    static final long SEED = 20240607L;

    private Fixtures() {
    }

    /** A tensor of standard normal values times {@code scale}. */
    static Tensor gaussian(Backend be, DType dtype, Random rng, double scale, int... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[shape.intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return be.fromArray(v, dtype, shape);
    }

    /** {@code n} class labels in [0, classes). */
    static int[] labels(Random rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }
}
