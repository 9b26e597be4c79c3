package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both GEMM kernels against the textbook triple loop, on shapes that hit every edge: partial tiles of
 * rows and columns, k shorter and longer than a block, both transpositions, offsets and accumulation.
 * The Vector API kernel is checked only in a JVM that has the module (the build's second test run).
 */
class GemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 5, 7}, {4, 48, 16}, {5, 49, 17}, {9, 100, 300}, {13, 97, 513}, {32, 484, 49}, {64, 520, 40},
    };

    @Test
    void plainKernelMatchesTheTripleLoop() {
        check(false);
    }

    @Test
    void vectorKernelMatchesTheTripleLoop() {
        assumeTrue(Simd.ENABLED, "run with --add-modules jdk.incubator.vector");
        check(true);
    }

    private static void check(boolean vector) {
        Random rng = new Random(7);
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    double[] a = random(rng, 3 + m * k);
                    double[] b = random(rng, 2 + k * n);
                    int ldc = n + 5;
                    double[] c = random(rng, 1 + m * ldc);
                    double[] expected = c.clone();
                    int lda = ta ? m : k;
                    int ldb = tb ? k : n;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int p = 0; p < k; p++) {
                                double av = ta ? a[3 + p * lda + i] : a[3 + i * lda + p];
                                double bv = tb ? b[2 + j * ldb + p] : b[2 + p * ldb + j];
                                sum += av * bv;
                            }
                            expected[1 + i * ldc + j] += sum;
                        }
                    }
                    if (vector) {
                        VectorGemmF64.multiplyAdd(ta, tb, m, n, k, a, 3, lda, b, 2, ldb, c, 1, ldc);
                    } else {
                        GemmF64.gemm(ta, tb, m, n, k, a, 3, lda, b, 2, ldb, c, 1, ldc, true);
                    }
                    for (int i = 0; i < c.length; i++) {
                        assertEquals(expected[i], c[i], 1e-9 * (1 + Math.abs(expected[i])),
                                "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " at " + i);
                    }
                }
            }
        }
    }

    private static double[] random(Random rng, int size) {
        double[] v = new double[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
