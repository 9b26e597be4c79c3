package dev.nabla.cpu;

import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.MaxPool2d;

/**
 * The plain-Java kernels in double precision; {@code KernelsF32} is generated from this file.
 *
 * <p>Arrays are row-major and dense. Work that is large enough is split over the cores by
 * {@link Parallel}; each chunk allocates its scratch once, never per element.
 */
final class KernelsF64 {
    /** Below this many elements an element-wise loop is not worth handing to other threads. */
    private static final int ELEMENTWISE_GRAIN = 1 << 16;

    private KernelsF64() {
    }

    // ---- element-wise and in-place updates -------------------------------------------------

    static void scale(double[] y, double alpha) {
        for (int i = 0; i < y.length; i++) {
            y[i] *= alpha;
        }
    }

    static void addScaled(double[] y, double alpha, double[] x) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void addScaledSquare(double[] y, double alpha, double[] x) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i] * x[i];
        }
    }

    static void addScaledRatio(double[] y, double alpha, double[] num, double[] den, double eps) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * num[i] / ((double) Math.sqrt(den[i]) + eps);
        }
    }

    static double/*acc*/ sum(double[] x) {
        double/*acc*/ s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    static double/*acc*/ sumOfSquares(double[] x) {
        double/*acc*/ s = 0;
        for (double v : x) {
            s += (double/*acc*/) v * v;
        }
        return s;
    }

    // ---- matrices ----------------------------------------------------------------------------

    /**
     * C (m x n) = op(A) op(B), split over the cores by rows of C, or by columns when C is wider than tall (a
     * minibatch times a weight matrix, a time step times Wh). Each thread packs all of B and its rows of A in a
     * row split, its columns of B and all of A in a column split; packing was as costly as the multiply-adds at
     * W3's 100 x 784 x 500 with the row split, so the split that packs less is taken.
     */
    static void matmul(Parallel par, boolean transA, boolean transB, int m, int n, int k,
                       double[] a, double[] b, double[] c) {
        matmul(par, transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
    }

    /**
     * As above on strided operands, with the storage conventions of {@link GemmF64#gemm}: a time step of a
     * sequence is read and written in place. Each entry of C is summed in the same order however the rows or
     * columns are split, so the split never changes a result.
     */
    static void matmul(Parallel par, boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
                       int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        long work = (long) m * n * k;
        if (work < (1 << 18)) {
            GemmF64.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (m >= 16 * par.splits() && (m >= n || n < 64 * par.splits())) {
            par.forRange(m, 16, (from, to) -> GemmF64.gemm(transA, transB, to - from, n, k, a,
                    aOff + (transA ? from : from * lda), lda, b, bOff, ldb, c, cOff + from * ldc, ldc, accumulate));
        } else {
            par.forRange(n, 64, (from, to) -> GemmF64.gemm(transA, transB, m, to - from, k, a, aOff, lda, b,
                    bOff + (transB ? from * ldb : from), ldb, c, cOff + from, ldc, accumulate));
        }
    }

    static void addRowVector(double[] m, int rows, int cols, double[] v, double[] out) {
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                out[off + j] = m[off + j] + v[j];
            }
        }
    }

    static void sumRows(double[] m, int rows, int cols, double[] out) {
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                out[j] += m[off + j];
            }
        }
    }

    static void tanh(Parallel par, double[] x, double[] y) {
        par.forRange(x.length, ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = (double) Math.tanh(x[i]);
            }
        });
    }

    static void tanhBackward(double[] dout, double[] y, double[] dx) {
        for (int i = 0; i < y.length; i++) {
            dx[i] = dout[i] * (1 - y[i] * y[i]);
        }
    }

    static void sigmoid(Parallel par, double[] x, double[] y) {
        par.forRange(x.length, ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = sigmoid(x[i]);
            }
        });
    }

    /** Written as 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below, so neither branch overflows. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + (double) Math.exp(-x));
        }
        double e = (double) Math.exp(x);
        return e / (1 + e);
    }

    static void sigmoidBackward(double[] dout, double[] y, double[] dx) {
        for (int i = 0; i < y.length; i++) {
            dx[i] = dout[i] * y[i] * (1 - y[i]);
        }
    }

    static void mul(double[] a, double[] b, double[] out) {
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
    }

    // ---- column blocks and row gathers -------------------------------------------------------

    /** Copies columns [from, from + width) of m (rows x cols) into out (rows x width), or back when {@code put}. */
    static void columnBlock(double[] m, int rows, int cols, int from, int width, double[] block, boolean put) {
        for (int r = 0; r < rows; r++) {
            if (put) {
                System.arraycopy(block, r * width, m, r * cols + from, width);
            } else {
                System.arraycopy(m, r * cols + from, block, r * width, width);
            }
        }
    }

    static void gatherRows(double[] table, int width, int[] ids, double[] out) {
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(table, ids[i] * width, out, i * width, width);
        }
    }

    /** Sequential on purpose: repeated ids add into the same row. */
    static void scatterAddRows(double[] src, int width, int[] ids, double[] out) {
        for (int i = 0; i < ids.length; i++) {
            int so = i * width;
            int oo = ids[i] * width;
            for (int j = 0; j < width; j++) {
                out[oo + j] += src[so + j];
            }
        }
    }

    // ---- softmax loss ------------------------------------------------------------------------

    /**
     * Sum of w_i * -log softmax(s_i)[y_i] over the n rows; writes w_i * (softmax - onehot) into ds. Rows are split
     * over the cores (the captioning loss has N*T of them); each row's term is kept and the terms summed in row
     * order afterwards, so the loss is the same for any split.
     */
    static double/*acc*/ softmaxLoss(Parallel par, double[] s, int n, int c, int[] y, double/*acc*/[] w,
                                     double[] ds) {
        double/*acc*/[] rowLoss = new double/*acc*/[n];
        par.forRange(n, Math.max(1, ELEMENTWISE_GRAIN / Math.max(1, c)), (from, to) -> {
            for (int i = from; i < to; i++) {
                rowLoss[i] = softmaxLossRow(s, i * c, c, y[i], w[i], ds);
            }
        });
        double/*acc*/ loss = 0;
        for (double/*acc*/ l : rowLoss) {
            loss += l;
        }
        return loss;
    }

    private static double/*acc*/ softmaxLossRow(double[] s, int off, int c, int y, double/*acc*/ w, double[] ds) {
        double max = s[off];
        for (int j = 1; j < c; j++) {
            max = Math.max(max, s[off + j]);
        }
        double/*acc*/ sum = 0;
        for (int j = 0; j < c; j++) {
            double e = (double) Math.exp(s[off + j] - max);
            ds[off + j] = e;
            sum += e;
        }
        double/*acc*/ scale = w / sum;
        for (int j = 0; j < c; j++) {
            ds[off + j] *= scale;
        }
        ds[off + y] -= w;
        return w * (Math.log(sum) - (s[off + y] - max));
    }

    // ---- max pooling ---------------------------------------------------------------------------

    /**
     * Window maxima of x (planes x h x w) into y (planes x oh x ow); argmax gets each winner's flat index in x.
     * Padded positions are skipped, so they never win; each window's scan starts at its first position inside the
     * image, which for an unpadded spec is its top-left corner, and moves on only for a strictly larger value.
     */
    static void maxPoolForward(Parallel par, double[] x, int planes, int h, int w, MaxPool2d.Spec spec, double[] y,
                               int[] argmax) {
        int oh = spec.outHeight(h);
        int ow = spec.outWidth(w);
        if (spec.poolH() == 2 && spec.poolW() == 2 && spec.strideH() == 2 && spec.strideW() == 2
                && !spec.padded()) {
            maxPool2x2(par, x, planes, h, w, y, argmax);
            return;
        }
        par.forRange(planes, 16, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xPlane = p * h * w;
                int o = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = i * spec.strideH() - spec.padTop();
                    int rFrom = Math.max(r0, 0);
                    int rTo = Math.min(r0 + spec.poolH(), h);
                    for (int j = 0; j < ow; j++, o++) {
                        int c0 = j * spec.strideW() - spec.padLeft();
                        int cFrom = Math.max(c0, 0);
                        int cTo = Math.min(c0 + spec.poolW(), w);
                        int best = xPlane + rFrom * w + cFrom;
                        for (int r = rFrom; r < rTo; r++) {
                            int row = xPlane + r * w;
                            for (int c = cFrom; c < cTo; c++) {
                                if (x[row + c] > x[best]) {
                                    best = row + c;
                                }
                            }
                        }
                        y[o] = x[best];
                        argmax[o] = best;
                    }
                }
            }
        });
    }

    /**
     * The 2x2, stride-2 unpadded pooling of the digit CNN, written out: the generic loops spent more on their
     * bounds than on the four comparisons. The same scan (row by row, a strictly larger value wins), so the
     * same maxima and argmax.
     */
    private static void maxPool2x2(Parallel par, double[] x, int planes, int h, int w, double[] y, int[] argmax) {
        int oh = h / 2;
        int ow = w / 2;
        par.forRange(planes, 16, (from, to) -> {
            for (int p = from; p < to; p++) {
                int o = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = p * h * w + 2 * i * w;
                    for (int j = 0; j < ow; j++, o++) {
                        int best = r0 + 2 * j;
                        double v = x[best];
                        if (x[best + 1] > v) {
                            v = x[best + 1];
                            best++;
                        }
                        int below = r0 + w + 2 * j;
                        if (x[below] > v) {
                            v = x[below];
                            best = below;
                        }
                        if (x[below + 1] > v) {
                            v = x[below + 1];
                            best = below + 1;
                        }
                        y[o] = v;
                        argmax[o] = best;
                    }
                }
            }
        });
    }

    /** dx[argmax[o]] += dout[o]; planes are independent, so chunks of planes never collide. */
    static void maxPoolBackward(Parallel par, double[] dout, int[] argmax, int planes, int outPerPlane, double[] dx) {
        par.forRange(planes, 16, (from, to) -> {
            for (int o = from * outPerPlane; o < to * outPerPlane; o++) {
                dx[argmax[o]] += dout[o];
            }
        });
    }

    // ---- convolution by im2col + GEMM ----------------------------------------------------------

    /**
     * cols[(ci*kh+ki)*kw+kj][oy*ow+ox] = x[img, ci, oy*sh+ki-padTop, ox*sw+kj-padLeft], or 0 in the padding.
     * The columns inside the image are found once per filter column, so a row is zeros, one copy (one
     * strided loop when sw > 1) and zeros, without a test per element. Only the channels of group {@code grp}.
     */
    static void im2col(double[] x, int img, int grp, ConvGeometry g, double[] cols) {
        int p = g.pixels();
        int ow = g.ow();
        int sw = g.strideW();
        int r = 0;
        for (int ci = grp * g.groupChannels(); ci < (grp + 1) * g.groupChannels(); ci++) {
            int plane = (img * g.c() + ci) * g.h() * g.w();
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, r++) {
                    int lo = g.firstInside(kj);
                    int hi = g.endInside(kj);
                    int dst = r * p;
                    for (int oy = 0; oy < g.oh(); oy++, dst += ow) {
                        int iy = oy * g.strideH() + ki - g.padTop();
                        if (iy < 0 || iy >= g.h()) {
                            java.util.Arrays.fill(cols, dst, dst + ow, 0);
                            continue;
                        }
                        int src = plane + iy * g.w() + kj - g.padLeft();
                        java.util.Arrays.fill(cols, dst, dst + lo, 0);
                        if (sw == 1) {
                            System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                cols[dst + ox] = x[src + ox * sw];
                            }
                        }
                        java.util.Arrays.fill(cols, dst + hi, dst + ow, 0);
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: dx[img] += every column entry scattered back to the pixel it was read from. */
    static void col2im(double[] cols, int img, int grp, ConvGeometry g, double[] dx) {
        int p = g.pixels();
        int ow = g.ow();
        int sw = g.strideW();
        int r = 0;
        for (int ci = grp * g.groupChannels(); ci < (grp + 1) * g.groupChannels(); ci++) {
            int plane = (img * g.c() + ci) * g.h() * g.w();
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, r++) {
                    int lo = g.firstInside(kj);
                    int hi = g.endInside(kj);
                    for (int oy = 0; oy < g.oh(); oy++) {
                        int iy = oy * g.strideH() + ki - g.padTop();
                        if (iy < 0 || iy >= g.h()) {
                            continue;
                        }
                        int src = r * p + oy * ow;
                        int dst = plane + iy * g.w() + kj - g.padLeft();
                        if (sw == 1) { // a constant stride: C2 vectorises this loop, not the general one
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox] += cols[src + ox];
                            }
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox * sw] += cols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** y[img] = W (f x rows) . im2col(x[img]) + b, images split over the cores; the bias seeds the sums. */
    static void convForward(Parallel par, double[] x, double[] wt, double[] b, ConvGeometry g, double[] y) {
        if (g.isDepthwise()) {
            DepthwiseF64.forward(par, x, wt, b, g, y);
            return;
        }
        int p = g.pixels();
        boolean pointwise = g.isPointwise();
        par.forRange(g.n(), 1, (from, to) -> {
            double[] cols = ScratchF64.get(ScratchF64.COLUMNS, g.rows() * p);
            int fg = g.groupFilters();
            for (int img = from; img < to; img++) {
                int yOff = img * g.f() * p;
                for (int fi = 0; fi < g.f(); fi++) {
                    java.util.Arrays.fill(y, yOff + fi * p, yOff + (fi + 1) * p, b[fi]);
                }
                for (int grp = 0; grp < g.groups(); grp++) {
                    double[] b2 = cols;
                    int bOff = 0;
                    if (pointwise) {
                        b2 = x;
                        bOff = (img * g.c() + grp * g.groupChannels()) * p;
                    } else {
                        im2col(x, img, grp, g, cols);
                    }
                    GemmF64.gemm(false, false, fg, p, g.rows(), wt, grp * fg * g.rows(), g.rows(), b2, bOff, p,
                            y, yOff + grp * fg * p, p, true);
                }
            }
        });
    }

    /**
     * dW = sum_img dY[img] . cols[img]^T, db = sum of dY per filter, dx[img] = col2im(W^T . dY[img]).
     * Each chunk of images accumulates its own dW and db; they are added up after the parallel loop in
     * the order of the chunks, so the result does not depend on which thread finishes first.
     */
    static void convBackward(Parallel par, double[] dout, double[] x, double[] wt, ConvGeometry g,
                             double[] dx, double[] dw, double[] db) {
        if (g.isDepthwise()) {
            DepthwiseF64.backward(par, dout, x, wt, g, dx, dw, db);
            return;
        }
        int p = g.pixels();
        boolean pointwise = g.isPointwise();
        double[][] dwParts = new double[g.n()][]; // indexed by the first image of each chunk
        double[][] dbParts = new double[g.n()][];
        par.forRange(g.n(), 1, (from, to) -> {
            double[] cols = ScratchF64.get(ScratchF64.COLUMNS, g.rows() * p);
            double[] dcols = ScratchF64.get(ScratchF64.COLUMN_GRADS, g.rows() * p);
            // Allocated, not thread scratch: a pool thread may run two chunks in turn, and both partials
            // must survive until the sum below.
            double[] dwLocal = new double[dw.length];
            double[] dbLocal = new double[db.length];
            int fg = g.groupFilters();
            for (int img = from; img < to; img++) {
                int yOff = img * g.f() * p;
                for (int grp = 0; grp < g.groups(); grp++) {
                    int wOff = grp * fg * g.rows();
                    int dOff = yOff + grp * fg * p;
                    if (pointwise) {
                        // cols is x's own slice and col2im the identity: read x and write dx in place.
                        int xOff = (img * g.c() + grp * g.groupChannels()) * p;
                        GemmF64.gemm(false, true, fg, g.rows(), p, dout, dOff, p, x, xOff, p, dwLocal, wOff, g.rows(),
                                true);
                        GemmF64.gemm(true, false, g.rows(), p, fg, wt, wOff, g.rows(), dout, dOff, p, dx, xOff, p,
                                false);
                        continue;
                    }
                    im2col(x, img, grp, g, cols);
                    GemmF64.gemm(false, true, fg, g.rows(), p, dout, dOff, p, cols, 0, p, dwLocal, wOff, g.rows(), true);
                    GemmF64.gemm(true, false, g.rows(), p, fg, wt, wOff, g.rows(), dout, dOff, p, dcols, 0, p, false);
                    col2im(dcols, img, grp, g, dx);
                }
                for (int fi = 0; fi < g.f(); fi++) {
                    double/*acc*/ s = 0;
                    int off = yOff + fi * p;
                    for (int q = 0; q < p; q++) {
                        s += dout[off + q];
                    }
                    dbLocal[fi] += s;
                }
            }
            dwParts[from] = dwLocal;
            dbParts[from] = dbLocal;
        });
        for (int first = 0; first < g.n(); first++) {
            if (dwParts[first] != null) {
                addScaled(dw, 1, dwParts[first]);
                addScaled(db, 1, dbParts[first]);
            }
        }
    }

    /** y = min(max(x, lo), hi); NaN stays NaN. */
    static void clamp(Parallel par, double[] x, double lo, double hi, double[] y) {
        par.forRange(x.length, ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = Math.min(Math.max(x[i], lo), hi);
            }
        });
    }

    /**
     * dx = dout where lo < x < hi, else 0 (the kinks count as flat), as dout times two 0/1 steps:
     * max(x - lo, 0) / MIN_VALUE is 0 for x <= lo and at least 1 for any x > lo, even by the smallest
     * subnormal (gradual underflow), so min(that, 1) is exact; likewise hi - x. The select
     * {@code lo < x && x < hi ? dout : 0} stays a scalar branch in C2 that mispredicts on every other element
     * of real activations; this form vectorizes and measured 13x faster (W4's 774,400-element ReLU, which is
     * this clamp with (0, +inf): there the second step is exactly 1 for finite x). Trade-off: a NaN or
     * infinite x, or an infinite dout where the gradient is 0, gives NaN instead of 0. With the Vector API, a
     * compare and a blend instead ({@link VectorElementwiseF64#clampBackward}), which keeps the contract exactly.
     */
    static void clampBackward(Parallel par, double[] dout, double[] x, double lo, double hi, double[] dx) {
        par.forRange(x.length, ELEMENTWISE_GRAIN, (from, to) -> {
            if (Simd.ENABLED) {
                VectorElementwiseF64.clampBackward(dout, x, lo, hi, dx, from, to);
                return;
            }
            for (int i = from; i < to; i++) {
                double above = Math.min(Math.max(x[i] - lo, 0) / Double.MIN_VALUE, 1);
                double below = Math.min(Math.max(hi - x[i], 0) / Double.MIN_VALUE, 1);
                dx[i] = dout[i] * above * below;
            }
        });
    }

    static void add(Parallel par, double[] a, double[] b, double[] out) {
        par.forRange(a.length, ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = a[i] + b[i];
            }
        });
    }

    // ---- per-channel maps, average pooling, softmax ------------------------------------------

    /** out[ch] = the sum of x (n x c x s) over n and s, accumulated in double. */
    static void channelSums(double[] x, int n, int c, int s, double[] out) {
        for (int ch = 0; ch < c; ch++) {
            double/*acc*/ acc = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * s;
                for (int k = 0; k < s; k++) {
                    acc += x[off + k];
                }
            }
            out[ch] = (double) acc;
        }
    }

    /** y = x * scale[ch] + shift[ch] for x (n x c x s), one (n, ch) plane per loop. */
    static void channelAffine(Parallel par, double[] x, int n, int c, int s, double[] scale, double[] shift,
                              double[] y) {
        par.forRange(n * c, Math.max(1, ELEMENTWISE_GRAIN / Math.max(1, s)), (from, to) -> {
            for (int p = from; p < to; p++) {
                double a = scale[p % c];
                double b = shift[p % c];
                int off = p * s;
                for (int k = 0; k < s; k++) {
                    y[off + k] = x[off + k] * a + b;
                }
            }
        });
    }

    /** Window means of x (planes x h x w) into y (planes x oh x ow); padded positions add nothing. */
    static void avgPoolForward(Parallel par, double[] x, int planes, int h, int w, AvgPool2d.Spec sp, double[] y) {
        PoolWindows.forEach(par, planes, h, w, sp, (o, plane, r0, r1, c0, c1, divisor) -> {
            double/*acc*/ sum = 0;
            for (int r = r0; r < r1; r++) {
                for (int c = c0; c < c1; c++) {
                    sum += x[plane + r * w + c];
                }
            }
            y[o] = (double) (sum / divisor);
        });
    }

    /** dx += dout / divisor over each window's positions inside the image; planes are independent. */
    static void avgPoolBackward(Parallel par, double[] dout, int planes, int h, int w, AvgPool2d.Spec sp,
                                double[] dx) {
        PoolWindows.forEach(par, planes, h, w, sp, (o, plane, r0, r1, c0, c1, divisor) -> {
            double g = dout[o] / divisor;
            for (int r = r0; r < r1; r++) {
                for (int c = c0; c < c1; c++) {
                    dx[plane + r * w + c] += g;
                }
            }
        });
    }

    /** y[row] = softmax(x[row]) for x (n x c), each row shifted by its maximum first. */
    static void softmax(Parallel par, double[] x, int n, int c, double[] y) {
        par.forRange(n, Math.max(1, ELEMENTWISE_GRAIN / Math.max(1, c)), (from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * c;
                double max = x[off];
                for (int j = 1; j < c; j++) {
                    max = Math.max(max, x[off + j]);
                }
                double/*acc*/ sum = 0;
                for (int j = 0; j < c; j++) {
                    double e = (double) Math.exp(x[off + j] - max);
                    y[off + j] = e;
                    sum += e;
                }
                for (int j = 0; j < c; j++) {
                    y[off + j] = (double) (y[off + j] / sum);
                }
            }
        });
    }

    /** dx[row] = y[row] * (dout[row] - dout[row] . y[row]) for (n x c). */
    static void softmaxBackward(double[] dout, double[] y, int n, int c, double[] dx) {
        for (int i = 0; i < n; i++) {
            int off = i * c;
            double/*acc*/ dot = 0;
            for (int j = 0; j < c; j++) {
                dot += (double/*acc*/) dout[off + j] * y[off + j];
            }
            for (int j = 0; j < c; j++) {
                dx[off + j] = (double) (y[off + j] * (dout[off + j] - dot));
            }
        }
    }
}
