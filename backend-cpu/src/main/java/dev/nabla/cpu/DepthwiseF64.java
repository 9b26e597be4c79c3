package dev.nabla.cpu;

/**
 * Direct depthwise convolution (groups = channels = filters: one kh x kw filter per channel), plane by plane.
 *
 * <p>Why not im2col + GEMM: one filter per channel leaves a 1-row product per plane, and im2col would copy every
 * input pixel kh*kw times to multiply it by one weight each. Why not loops along output rows: MobileNetV2's planes
 * are 7 to 112 pixels wide, shorter than what C2's vectorised loops take per iteration (64 floats and more with
 * AVX-512), and a stride-2 row is no contiguous run at all; those loops ran scalar. So each input plane is first
 * copied, zero-padded, into sh x sw <em>phases</em> (the padded plane's rows and columns taken a stride apart), each
 * {@code wq = ow + (kw-1)/sw} wide: then filter tap (ki, kj) reads one phase at a fixed offset from the output
 * pixel, and one tap is one contiguous pass over the whole plane. Outputs are kept {@code wq} wide too; their extra
 * columns are garbage, dropped on the way out (and zero in the padded output gradient).
 *
 * <p>Numbers: outputs and input gradients are the row loops', bit for bit (DepthwiseTest). Each output is still b
 * plus the taps in (ki, kj) order; each input gradient sums its terms in the order the row loops did (by output
 * row, which is ki descending, then kj ascending). The padding only adds terms w * 0 = +-0, which change no sum
 * that started from +0; so the one exception is the sign of a zero output whose bias is -0.0 (the row loops may
 * keep -0.0, this gives +0.0). Non-finite values spread further than in the row loops: a non-finite weight makes
 * the border of y and dx NaN, a non-finite x or dout can make dw NaN where the row loops gave an infinity. The
 * weight gradient is one sum over the whole plane per tap, in a 64-bit accumulator as before but associated
 * differently (by vector lane), so it equals the row loops' to rounding; in FLOAT32 the final rounding to 32 bits
 * hides that almost always (MobileNetV2's depthwise layers at batch 8 on random inputs gave the same bits).
 */
final class DepthwiseF64 {
    private DepthwiseF64() {
    }

    /** y[n, ch] = b[ch] + x[n, ch] *filt w[ch], planes split over the cores. */
    static void forward(Parallel par, double[] x, double[] wt, double[] b, ConvGeometry g, double[] y) {
        Phases ph = new Phases(g);
        int taps = g.kh() * g.kw();
        int[] from = ph.taps();
        par.forRange(g.n() * g.c(), 1, (lo, hi) -> {
            double[] in = ScratchF64.get(ScratchF64.PHASES, ph.size());
            double[] out = ScratchF64.get(ScratchF64.PLANE, ph.outSize());
            double[] w = new double[taps];
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % g.c();
                ph.split(x, plane * g.h() * g.w(), in);
                java.util.Arrays.fill(out, 0, ph.outSize(), b[ch]);
                System.arraycopy(wt, ch * taps, w, 0, taps);
                accumulate(out, 0, ph.outSize(), in, from, w, taps);
                ph.narrow(out, y, plane * g.pixels());
            }
        });
    }

    /**
     * dx[n, ch] = dout[n, ch] *full w[ch], dw[ch] = sum over images of dout *filt x, db[ch] = sum of dout. Split
     * over channels, so each channel's dw and db are summed by one thread in image order: the result does not
     * depend on the thread count.
     *
     * <p>dx is computed phase by phase as a sum of taps over the output gradient {@code d}, which is kept
     * {@code wq} wide behind a margin of zeros as long as the largest tap offset: so every tap reads inside it, and
     * outside the output it reads zeros.
     */
    static void backward(Parallel par, double[] dout, double[] x, double[] wt, ConvGeometry g,
                         double[] dx, double[] dw, double[] db) {
        Phases ph = new Phases(g);
        int taps = g.kh() * g.kw();
        int p = g.pixels();
        int phaseSize = ph.hq() * ph.wq();
        int margin = ph.tap(g.kh() - 1, g.kw() - 1) % phaseSize;
        int[] tapFrom = ph.taps();
        // The taps of each phase in the order dx sums them (by output row: ki descending, then kj ascending), and
        // where each reads in d.
        int phases = g.strideH() * g.strideW();
        int[][] tapsOf = new int[phases][taps];
        int[][] dFrom = new int[phases][taps];
        int[] count = new int[phases];
        for (int ki = g.kh() - 1; ki >= 0; ki--) {
            for (int kj = 0; kj < g.kw(); kj++) {
                int phase = tapFrom[ki * g.kw() + kj] / phaseSize;
                dFrom[phase][count[phase]] = margin - tapFrom[ki * g.kw() + kj] % phaseSize;
                tapsOf[phase][count[phase]++] = ki * g.kw() + kj;
            }
        }
        par.forRange(g.c(), 1, (lo, hi) -> {
            double[] in = ScratchF64.get(ScratchF64.PHASES, ph.size());
            double[] din = ScratchF64.get(ScratchF64.PHASE_GRADS, ph.size());
            double[] d = ScratchF64.get(ScratchF64.PLANE, margin + phaseSize);
            java.util.Arrays.fill(d, 0, margin + phaseSize, 0);
            double/*acc*/[] dwAcc = new double/*acc*/[taps];
            double[][] w = new double[phases][taps];
            for (int ch = lo; ch < hi; ch++) {
                for (int phase = 0; phase < phases; phase++) {
                    for (int t = 0; t < count[phase]; t++) {
                        w[phase][t] = wt[ch * taps + tapsOf[phase][t]];
                    }
                }
                java.util.Arrays.fill(dwAcc, 0);
                double/*acc*/ dbAcc = 0;
                for (int img = 0; img < g.n(); img++) {
                    int plane = img * g.c() + ch;
                    int dPlane = plane * p;
                    for (int q = 0; q < p; q++) {
                        dbAcc += dout[dPlane + q];
                    }
                    ph.split(x, plane * g.h() * g.w(), in);
                    ph.widen(dout, dPlane, d, margin);
                    correlate(d, margin, ph.outSize(), in, tapFrom, taps, dwAcc);
                    java.util.Arrays.fill(din, 0, ph.size(), 0);
                    for (int phase = 0; phase < phases; phase++) {
                        accumulate(din, phase * phaseSize, phaseSize, d, dFrom[phase], w[phase], count[phase]);
                    }
                    ph.merge(din, dx, plane * g.h() * g.w());
                }
                for (int wi = 0; wi < taps; wi++) {
                    dw[ch * taps + wi] = (double) dwAcc[wi];
                }
                db[ch] = (double) dbAcc;
            }
        });
    }

    /**
     * sums[t] += the sum over q < n of d[at + q] * in[from[t] + q] for each tap: the weight gradient of one
     * (image, channel) plane, all rows at once (d is zero in the extra columns).
     */
    private static void correlate(double[] d, int at, int n, double[] in, int[] from, int taps,
                                  double/*acc*/[] sums) {
        if (Simd.ENABLED) {
            VectorTapsF64.correlate(d, at, n, in, from, taps, sums);
            return;
        }
        for (int t = 0; t < taps; t++) {
            double/*acc*/ s = 0;
            int src = from[t];
            for (int q = 0; q < n; q++) {
                s += d[at + q] * in[src + q];
            }
            sums[t] += s;
        }
    }

    /** out[at + q] += the taps' w[t] * in[from[t] + q] for q < n, added in tap order. */
    private static void accumulate(double[] out, int at, int n, double[] in, int[] from, double[] w, int taps) {
        if (Simd.ENABLED) {
            VectorTapsF64.accumulate(out, at, n, in, from, w, taps);
            return;
        }
        // One pass per tap; each output still takes its taps in order.
        for (int t = 0; t < taps; t++) {
            double wv = w[t];
            int src = from[t];
            for (int q = 0; q < n; q++) {
                out[at + q] += wv * in[src + q];
            }
        }
    }

    /**
     * The layout of one plane's phases: phase (a, b) holds the zero-padded input's rows a, a + sh, ... and columns
     * b, b + sw, ..., as {@code hq} rows of {@code wq}; one spare row takes the reads of the last output row's
     * garbage columns.
     */
    private record Phases(ConvGeometry g, int wq, int hq) {
        Phases(ConvGeometry g) {
            this(g, g.ow() + (g.kw() - 1) / g.strideW(), g.oh() + (g.kh() - 1) / g.strideH() + 1);
        }

        /** Elements of all phases of one plane. */
        int size() {
            return g.strideH() * g.strideW() * hq * wq;
        }

        /** Elements of one output plane kept {@code wq} wide. */
        int outSize() {
            return g.oh() * wq;
        }

        /** {@link #tap} of every tap, in the filter's order. */
        int[] taps() {
            int[] from = new int[g.kh() * g.kw()];
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    from[ki * g.kw() + kj] = tap(ki, kj);
                }
            }
            return from;
        }

        /** Where tap (ki, kj) reads for output pixel 0: its phase, and its offset inside the phase. */
        int tap(int ki, int kj) {
            int phase = (ki % g.strideH()) * g.strideW() + kj % g.strideW();
            return phase * hq * wq + (ki / g.strideH()) * wq + kj / g.strideW();
        }

        /** Writes the phases of the input plane at {@code x[off]} into {@code out}. */
        void split(double[] x, int off, double[] out) {
            copy(x, off, out, false);
        }

        /** Adds the in-image part of the phases {@code in} into the plane at {@code x[off]}: split's reverse. */
        void merge(double[] in, double[] x, int off) {
            copy(x, off, in, true);
        }

        /**
         * Phases from the plane at {@code x[off]} (zeros where the padding is), or, when {@code add}, the phases'
         * in-image elements added back into the plane.
         */
        private void copy(double[] x, int off, double[] phases, boolean add) {
            int sh = g.strideH();
            int sw = g.strideW();
            for (int a = 0; a < sh; a++) {
                for (int b = 0; b < sw; b++) {
                    int base = (a * sw + b) * hq * wq;
                    // Phase columns [lo, hi) fall inside the image.
                    int lo = Math.min(wq, Math.max(0, Math.floorDiv(g.padLeft() - b + sw - 1, sw)));
                    int hi = Math.max(lo, Math.min(wq, Math.floorDiv(g.w() - 1 + g.padLeft() - b, sw) + 1));
                    for (int r = 0; r < hq; r++) {
                        int row = base + r * wq;
                        int iy = r * sh + a - g.padTop();
                        boolean inside = iy >= 0 && iy < g.h();
                        if (add) {
                            if (inside) {
                                int dst = off + iy * g.w() + b - g.padLeft();
                                if (sw == 1) {
                                    for (int c = lo; c < hi; c++) {
                                        x[dst + c] += phases[row + c];
                                    }
                                } else if (sw == 2) {
                                    for (int c = lo; c < hi; c++) {
                                        x[dst + 2 * c] += phases[row + c];
                                    }
                                } else {
                                    for (int c = lo; c < hi; c++) {
                                        x[dst + c * sw] += phases[row + c];
                                    }
                                }
                            }
                            continue;
                        }
                        if (!inside) {
                            java.util.Arrays.fill(phases, row, row + wq, 0);
                            continue;
                        }
                        java.util.Arrays.fill(phases, row, row + lo, 0);
                        int src = off + iy * g.w() + b - g.padLeft();
                        if (sw == 1) {
                            System.arraycopy(x, src + lo, phases, row + lo, hi - lo);
                        } else if (sw == 2) { // a constant stride: C2 compiles the variable one 4x slower
                            for (int c = lo; c < hi; c++) {
                                phases[row + c] = x[src + 2 * c];
                            }
                        } else {
                            for (int c = lo; c < hi; c++) {
                                phases[row + c] = x[src + c * sw];
                            }
                        }
                        java.util.Arrays.fill(phases, row + hi, row + wq, 0);
                    }
                }
            }
        }

        /** Copies the {@code wq}-wide output plane into the {@code ow}-wide one at {@code y[off]}. */
        void narrow(double[] out, double[] y, int off) {
            for (int oy = 0; oy < g.oh(); oy++) {
                System.arraycopy(out, oy * wq, y, off + oy * g.ow(), g.ow());
            }
        }

        /**
         * Copies the output-shaped plane at {@code d[off]} into a {@code wq}-wide one at {@code out[at]}; the extra
         * columns stay zero (they are never written).
         */
        void widen(double[] d, int off, double[] out, int at) {
            for (int oy = 0; oy < g.oh(); oy++) {
                System.arraycopy(d, off + oy * g.ow(), out, at + oy * wq, g.ow());
            }
        }
    }
}
