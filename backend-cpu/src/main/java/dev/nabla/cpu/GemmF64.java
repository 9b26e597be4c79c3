package dev.nabla.cpu;

import java.util.Arrays;

/**
 * Single-threaded blocked matrix multiply, {@code C (+)= op(A) op(B)}, row-major.
 *
 * <p>Trade-offs: B is packed in (KC x NC) blocks that stay in L2, as one array per row, and A in
 * (rows x KC) panels, so the transposed and plain cases share one inner loop. The inner loop is an axpy
 * over a row of C, copied into a scratch row, that folds four k-steps into each load and store of C.
 * Every array in it is indexed by the loop variable alone, so HotSpot's superword pass can prove the
 * accesses do not overlap and emits SIMD code; with offsets on two arrays it stays scalar (measured 5x
 * slower). Each B value loaded from L2 feeds one multiply-add, so L2 bandwidth caps it near 25% of
 * the FMA peak; a register-tiled micro-kernel needs the Vector API, see {@link VectorGemmF64}, which
 * {@link #gemm} hands over to when the JVM has it. Callers parallelise across rows, columns or images,
 * not inside this class. Scratch buffers are per thread and grow only: a steady loop allocates nothing.
 */
final class GemmF64 {
    private static final int KC = 256;
    private static final int NC = 512;

    /** The B block, one array per row, and a scratch row of C, per thread (see {@link ScratchF64}). */
    private static final ThreadLocal<double[][]> BLOCK = ThreadLocal.withInitial(() -> new double[KC + 1][NC]);

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
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
            }
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (Simd.ENABLED && VectorGemmF64.suits(n, k)) {
            VectorGemmF64.multiplyAdd(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        double[][] bp = BLOCK.get();
        double[] crow = bp[KC];
        double[] ap = ScratchF64.get(ScratchF64.PACKED_A, m * Math.min(KC, k));
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            packA(transA, m, kc, k0, a, aOff, lda, ap);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                packB(transB, kc, nc, k0, j0, b, bOff, ldb, bp);
                for (int i = 0; i < m; i++) {
                    int row = cOff + i * ldc + j0;
                    System.arraycopy(c, row, crow, 0, nc);
                    rowTimesBlock(ap, i * kc, kc, bp, nc, crow);
                    System.arraycopy(crow, 0, c, row, nc);
                }
            }
        }
    }

    /** crow[0 .. nc) += sum_kk ap[aOff+kk] * bp[kk][0 .. nc), four k-steps per load and store of crow.
     * Blocking four rows of C as well (16 products per B load) was measured 4x slower: C2's superword
     * pass leaves a loop body over more than about six arrays scalar. */
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
        if (transA) {
            // Row by row of the stored A, so the reads are sequential; the scattered writes stay in L1/L2.
            for (int kk = 0; kk < kc; kk++) {
                int src = aOff + (k0 + kk) * lda;
                for (int i = 0; i < m; i++) {
                    ap[i * kc + kk] = a[src + i];
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
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
