package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled matrix multiply on the incubating Vector API, {@code C += op(A) op(B)}, row-major; used
 * by {@link GemmF64} only when {@link Simd#ENABLED}.
 *
 * <p>Trade-offs: the micro-kernel keeps a (4 x 3 vectors) tile of C in twelve registers for a whole
 * KC-long panel, so each multiply-add costs a quarter of a B load and a third of a broadcast, where the
 * plain loop of {@link GemmF64} loads and stores C for every four of them; measured 2.5-3x faster on
 * one core with AVX-512. A is packed in micro-panels of 4 rows, k-major; B in micro-panels of 3
 * vectors, k-major, in (KC x NC) blocks that stay in L2, the tail of a block in one-vector panels
 * served by a narrower kernel (so n = 49 pads to 64, not 96). Both are padded with zeros to whole
 * tiles, so the kernels have no edge cases; partial tiles of C go through a scratch tile instead. Scratch is per thread
 * ({@link ScratchF64}).
 */
final class VectorGemmF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 4;
    private static final int NR = 3 * L;
    private static final int KC = 256;
    private static final int NC = 10 * NR;

    private VectorGemmF64() {
    }

    /**
     * Whether this kernel beats the plain loop on a product with n columns and inner dimension k: not
     * for fewer columns than one vector, nor when k is so short that loading and storing the C tile
     * dominates.
     */
    static boolean suits(int n, int k) {
        return k >= 16 && n >= L;
    }

    /** C[m x n] += op(A)[m x k] op(B)[k x n], with the storage conventions of {@link GemmF64#gemm}. */
    static void multiplyAdd(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double[] c, int cOff, int ldc) {
        int mPad = roundUp(m, MR);
        double[] ap = ScratchF64.get(ScratchF64.PACKED_A, mPad * Math.min(KC, k));
        double[] bp = ScratchF64.get(ScratchF64.PACKED_B, KC * NC);
        double[] tile = ScratchF64.get(ScratchF64.TILE, MR * NR);
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            packA(transA, m, mPad, kc, k0, a, aOff, lda, ap);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                packB(transB, kc, nc, k0, j0, b, bOff, ldb, bp);
                for (int i0 = 0; i0 < m; i0 += MR) {
                    int rows = Math.min(MR, m - i0);
                    for (int jt = 0; jt < nc; jt += panelWidth(jt, nc)) {
                        int w = panelWidth(jt, nc);
                        int cols = Math.min(w, nc - jt);
                        int at = cOff + i0 * ldc + j0 + jt;
                        if (rows == MR && cols == w) {
                            tile(w, ap, i0 * kc, kc, bp, jt * kc, c, at, ldc);
                        } else {
                            java.util.Arrays.fill(tile, 0, MR * w, 0);
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(c, at + r * ldc, tile, r * w, cols);
                            }
                            tile(w, ap, i0 * kc, kc, bp, jt * kc, tile, 0, w);
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(tile, r * w, c, at + r * ldc, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Columns in the B micro-panel at column jt of an nc-wide block: NR, or one vector in the tail. */
    private static int panelWidth(int jt, int nc) {
        return jt + NR <= nc ? NR : L;
    }

    private static void tile(int w, double[] ap, int aAt, int kc, double[] bp, int bAt, double[] c, int at, int ldc) {
        if (w == NR) {
            kernel(ap, aAt, kc, bp, bAt, c, at, ldc);
        } else {
            narrowKernel(ap, aAt, kc, bp, bAt, c, at, ldc);
        }
    }

    /**
     * The 4 x L tile of C at c[at] += A micro-panel (4 x kc) . B micro-panel (kc x L): the tail columns of a
     * block, at a third of the main kernel's loads per multiply-add, but without padding to NR.
     */
    private static void narrowKernel(double[] ap, int aAt, int kc, double[] bp, int bAt, double[] c, int at,
                                     int ldc) {
        DoubleVector c0 = DoubleVector.fromArray(S, c, at);
        DoubleVector c1 = DoubleVector.fromArray(S, c, at + ldc);
        DoubleVector c2 = DoubleVector.fromArray(S, c, at + 2 * ldc);
        DoubleVector c3 = DoubleVector.fromArray(S, c, at + 3 * ldc);
        for (int kk = 0; kk < kc; kk++) {
            int ao = aAt + kk * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bAt + kk * L);
            c0 = DoubleVector.broadcast(S, ap[ao]).fma(b0, c0);
            c1 = DoubleVector.broadcast(S, ap[ao + 1]).fma(b0, c1);
            c2 = DoubleVector.broadcast(S, ap[ao + 2]).fma(b0, c2);
            c3 = DoubleVector.broadcast(S, ap[ao + 3]).fma(b0, c3);
        }
        c0.intoArray(c, at);
        c1.intoArray(c, at + ldc);
        c2.intoArray(c, at + 2 * ldc);
        c3.intoArray(c, at + 3 * ldc);
    }

    /**
     * The 4 x NR tile of C at c[at], row stride ldc, += A micro-panel (4 x kc) . B micro-panel (kc x NR).
     * Written out element by element on purpose: twelve named locals are what C2 keeps in registers for
     * the whole loop; an array of vectors or a loop over rows would box them or spill.
     */
    private static void kernel(double[] ap, int aAt, int kc, double[] bp, int bAt, double[] c, int at, int ldc) {
        int r1 = at + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        DoubleVector c00 = DoubleVector.fromArray(S, c, at);
        DoubleVector c01 = DoubleVector.fromArray(S, c, at + L);
        DoubleVector c02 = DoubleVector.fromArray(S, c, at + 2 * L);
        DoubleVector c10 = DoubleVector.fromArray(S, c, r1);
        DoubleVector c11 = DoubleVector.fromArray(S, c, r1 + L);
        DoubleVector c12 = DoubleVector.fromArray(S, c, r1 + 2 * L);
        DoubleVector c20 = DoubleVector.fromArray(S, c, r2);
        DoubleVector c21 = DoubleVector.fromArray(S, c, r2 + L);
        DoubleVector c22 = DoubleVector.fromArray(S, c, r2 + 2 * L);
        DoubleVector c30 = DoubleVector.fromArray(S, c, r3);
        DoubleVector c31 = DoubleVector.fromArray(S, c, r3 + L);
        DoubleVector c32 = DoubleVector.fromArray(S, c, r3 + 2 * L);
        for (int kk = 0; kk < kc; kk++) {
            int bo = bAt + kk * NR;
            int ao = aAt + kk * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bo + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bo + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = DoubleVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = DoubleVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = DoubleVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        c00.intoArray(c, at);
        c01.intoArray(c, at + L);
        c02.intoArray(c, at + 2 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
    }

    /**
     * ap[(i/MR)*kc*MR + kk*MR + i%MR] = op(A)[i, k0+kk], rows m .. mPad zero. Stored transposed, A is read a
     * micro-panel at a time, kk outer: MR neighbouring values per row of the stored A, not one value per row
     * (which took a sixth of W2's time in the conv backward's W^T).
     */
    private static void packA(boolean transA, int m, int mPad, int kc, int k0, double[] a, int aOff, int lda,
                              double[] ap) {
        for (int i0 = 0; i0 < mPad; i0 += MR) {
            int panel = i0 * kc;
            int rows = Math.max(0, Math.min(MR, m - i0));
            if (transA) {
                for (int kk = 0; kk < kc; kk++) {
                    int src = aOff + (k0 + kk) * lda + i0;
                    int dst = panel + kk * MR;
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r] = a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        ap[dst + r] = 0;
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    int dst = panel + r;
                    if (r >= rows) {
                        for (int kk = 0; kk < kc; kk++) {
                            ap[dst + kk * MR] = 0;
                        }
                        continue;
                    }
                    int src = aOff + (i0 + r) * lda + k0;
                    for (int kk = 0; kk < kc; kk++) {
                        ap[dst + kk * MR] = a[src + kk];
                    }
                }
            }
        }
    }

    /**
     * B block into micro-panels, k-major: the panel at column jt (width w = NR, or L in the tail) holds
     * bp[jt*kc + kk*w + x] = op(B)[k0+kk, j0+jt+x], zero past column nc.
     */
    private static void packB(boolean transB, int kc, int nc, int k0, int j0, double[] b, int bOff, int ldb,
                              double[] bp) {
        for (int jt = 0; jt < nc; jt += panelWidth(jt, nc)) {
            int w = panelWidth(jt, nc);
            int cols = Math.min(w, nc - jt);
            int panel = jt * kc;
            if (transB) {
                // Along the rows of the stored B (contiguous in k), not across them: a sixth of W3's time went
                // to reading one value per row of W^T.
                for (int x = 0; x < cols; x++) {
                    int src = bOff + (j0 + jt + x) * ldb + k0;
                    for (int kk = 0; kk < kc; kk++) {
                        bp[panel + kk * w + x] = b[src + kk];
                    }
                }
            }
            for (int kk = 0; kk < kc; kk++) {
                int dst = panel + kk * w;
                if (!transB) {
                    System.arraycopy(b, bOff + (k0 + kk) * ldb + j0 + jt, bp, dst, cols);
                }
                for (int x = cols; x < w; x++) {
                    bp[dst + x] = 0;
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
