package dev.nabla.cpu;

/**
 * Single-threaded blocked matrix multiply, {@code C (+)= op(A) op(B)}, row-major.
 *
 * <p>Trade-offs: B is packed in (KC x NC) blocks that stay in L2, A in (rows x KC) panels, so the
 * transposed and plain cases share one inner loop. The inner loop is an axpy over a row of C that
 * folds four k-steps into each load and store of C; HotSpot's superword pass turns it into SIMD
 * (about 40 GFLOP/s per core in float on AVX-512, 5x the scalar loop).
 * It is not a register-tiled micro-kernel (Java 17 cannot express one portably), so it reaches a
 * fraction of a BLAS; callers parallelise across rows or images, not inside this class.
 */
final class GemmF64 {
    private static final int KC = 256;
    private static final int NC = 512;

    private GemmF64() {
    }

    /**
     * C[m x n] (+)= op(A)[m x k] op(B)[k x n]. A is stored m x k with row stride lda, or k x m when
     * {@code transA}; B is stored k x n with row stride ldb, or n x k when {@code transB}.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
            }
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, n);
        double[][] bp = new double[kcMax][ncMax];
        double[] ap = new double[m * kcMax];
        double[] crow = new double[ncMax];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            packA(transA, m, kc, k0, a, aOff, lda, ap);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                packB(transB, kc, nc, k0, j0, b, bOff, ldb, bp);
                for (int i = 0; i < m; i++) {
                    int cRow = cOff + i * ldc + j0;
                    System.arraycopy(c, cRow, crow, 0, nc);
                    rowTimesBlock(ap, i * kc, kc, bp, nc, crow);
                    System.arraycopy(crow, 0, c, cRow, nc);
                }
            }
        }
    }

    /**
     * crow[0 .. nc) += sum_kk ap[aOff+kk] * bp[kk][0 .. nc). Every array is indexed by the loop
     * variable alone: with offsets on both sides HotSpot cannot rule out overlap and stays scalar
     * (measured 5x slower).
     */
    private static void rowTimesBlock(double[] ap, int aOff, int kc, double[][] bp, int nc, double[] crow) {
        int kk = 0;
        for (; kk + 3 < kc; kk += 4) {
            double a0 = ap[aOff + kk];
            double a1 = ap[aOff + kk + 1];
            double a2 = ap[aOff + kk + 2];
            double a3 = ap[aOff + kk + 3];
            double[] b0 = bp[kk];
            double[] b1 = bp[kk + 1];
            double[] b2 = bp[kk + 2];
            double[] b3 = bp[kk + 3];
            for (int j = 0; j < nc; j++) {
                crow[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; kk < kc; kk++) {
            double a0 = ap[aOff + kk];
            double[] b0 = bp[kk];
            for (int j = 0; j < nc; j++) {
                crow[j] += a0 * b0[j];
            }
        }
    }

    /** ap[i*kc + kk] = op(A)[i, k0+kk]. */
    private static void packA(boolean transA, int m, int kc, int k0, double[] a, int aOff, int lda, double[] ap) {
        for (int i = 0; i < m; i++) {
            if (transA) {
                for (int kk = 0; kk < kc; kk++) {
                    ap[i * kc + kk] = a[aOff + (k0 + kk) * lda + i];
                }
            } else {
                System.arraycopy(a, aOff + i * lda + k0, ap, i * kc, kc);
            }
        }
    }

    /** bp[kk][jj] = op(B)[k0+kk, j0+jj]. */
    private static void packB(boolean transB, int kc, int nc, int k0, int j0, double[] b, int bOff, int ldb,
                              double[][] bp) {
        if (transB) {
            for (int jj = 0; jj < nc; jj++) {
                int src = bOff + (j0 + jj) * ldb + k0;
                for (int kk = 0; kk < kc; kk++) {
                    bp[kk][jj] = b[src + kk];
                }
            }
        } else {
            for (int kk = 0; kk < kc; kk++) {
                System.arraycopy(b, bOff + (k0 + kk) * ldb + j0, bp[kk], 0, nc);
            }
        }
    }
}
