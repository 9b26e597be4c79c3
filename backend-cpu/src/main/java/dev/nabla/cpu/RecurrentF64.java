package dev.nabla.cpu;

/**
 * The RNN and LSTM over a whole sequence, fused; {@code RecurrentF32} is generated from this file.
 *
 * <p>Sequences are (N, T, F) row-major, so step t of every sample is the (N, F) matrix at offset t*F with row
 * stride T*F, which the GEMM reads and writes in place: no step is copied out or back. The input projections of
 * all steps are one product (N*T, D) . Wx written straight into the output, which each step then finishes with
 * one pass: its recurrent product added, the bias, the non-linearity. Each element is computed with the same
 * operations in the same order as the step-by-step composition ({@code (x Wx + h Wh) + b}, then tanh; the
 * LSTM's gates, cell and output as {@code LstmStep}), and a product's entries do not depend on how many rows
 * it has, so the forward values and dx are those of the generic composition. In backward the parameter
 * gradients are one product each over all N*T rows, which sums in another order than step by step: dWx, dWh
 * and db differ from the composition's by rounding.
 */
final class RecurrentF64 {
    private RecurrentF64() {
    }

    /** h (n, steps, hid) = tanh(x Wx + h_prev Wh + b) step by step, h_prev = h0 for the first. */
    static void rnnForward(Parallel par, double[] x, double[] h0, double[] wx, double[] wh, double[] b, int n,
                           int steps, int d, int hid, double[] h) {
        int rs = steps * hid;
        KernelsF64.matmul(par, false, false, n * steps, hid, d, x, 0, d, wx, 0, hid, h, 0, hid, false);
        double[] rec = new double[n * hid];
        for (int t = 0; t < steps; t++) {
            recurrentProduct(par, t, h0, h, rs, wh, n, hid, hid, rec);
            for (int i = 0; i < n; i++) {
                int o = i * rs + t * hid;
                int r = i * hid;
                for (int j = 0; j < hid; j++) {
                    h[o + j] = (double) Math.tanh((h[o + j] + rec[r + j]) + b[j]);
                }
            }
        }
    }

    /**
     * da (n, steps, hid), the gradient of every step's pre-activation, from dh and the outputs h; dh0 receives
     * the gradient flowing out of the first step.
     */
    static void rnnBackward(Parallel par, double[] dh, double[] h, double[] wh, int n, int steps, int hid,
                            double[] da, double[] dh0) {
        int rs = steps * hid;
        double[] dprev = dh0; // zeros on entry; holds d(h_t) flowing back from step t+1
        for (int t = steps - 1; t >= 0; t--) {
            for (int i = 0; i < n; i++) {
                int o = i * rs + t * hid;
                int r = i * hid;
                for (int j = 0; j < hid; j++) {
                    double y = h[o + j];
                    da[o + j] = (dh[o + j] + dprev[r + j]) * (1 - y * y);
                }
            }
            KernelsF64.matmul(par, false, true, n, hid, hid, da, t * hid, rs, wh, 0, hid, dprev, 0, hid, false);
        }
    }

    /**
     * The LSTM forward: gates (n, steps, 4*hid) receive i, f, o, g after their non-linearities, c the cell states,
     * tanhC their tanh and h the outputs o * tanh(c).
     */
    static void lstmForward(Parallel par, double[] x, double[] h0, double[] wx, double[] wh, double[] b, int n,
                            int steps, int d, int hid, double[] gates, double[] c, double[] tanhC, double[] h) {
        int g4 = 4 * hid;
        int rs = steps * hid;
        KernelsF64.matmul(par, false, false, n * steps, g4, d, x, 0, d, wx, 0, g4, gates, 0, g4, false);
        double[] rec = new double[n * g4];
        for (int t = 0; t < steps; t++) {
            recurrentProduct(par, t, h0, h, rs, wh, n, hid, g4, rec);
            for (int i = 0; i < n; i++) {
                int ga = (i * steps + t) * g4;
                int r = i * g4;
                for (int j = 0; j < g4; j++) {
                    double a = (gates[ga + j] + rec[r + j]) + b[j];
                    gates[ga + j] = j < 3 * hid ? KernelsF64.sigmoid(a) : (double) Math.tanh(a);
                }
                int o = i * rs + t * hid;
                for (int j = 0; j < hid; j++) {
                    double prevC = t == 0 ? 0 : c[o - hid + j];
                    double next = gates[ga + hid + j] * prevC + gates[ga + j] * gates[ga + 3 * hid + j];
                    double tc = (double) Math.tanh(next);
                    c[o + j] = next;
                    tanhC[o + j] = tc;
                    h[o + j] = gates[ga + 2 * hid + j] * tc;
                }
            }
        }
    }

    /**
     * The LSTM backward through time: da (n, steps, 4*hid) receives the gradients of every step's four
     * pre-activation blocks, dh0 the gradient of h0; as {@code LstmStep.backward}, element by element.
     */
    static void lstmBackward(Parallel par, double[] dh, double[] gates, double[] c, double[] tanhC, double[] wh,
                             int n, int steps, int hid, double[] da, double[] dh0) {
        int g4 = 4 * hid;
        int rs = steps * hid;
        double[] dprevH = dh0; // zeros on entry
        double[] dprevC = new double[n * hid];
        for (int t = steps - 1; t >= 0; t--) {
            for (int i = 0; i < n; i++) {
                int o = i * rs + t * hid;
                int ga = (i * steps + t) * g4;
                int r = i * hid;
                for (int j = 0; j < hid; j++) {
                    double ig = gates[ga + j];
                    double fg = gates[ga + hid + j];
                    double og = gates[ga + 2 * hid + j];
                    double gg = gates[ga + 3 * hid + j];
                    double tc = tanhC[o + j];
                    double prevC = t == 0 ? 0 : c[o - hid + j];
                    double dnh = dh[o + j] + dprevH[r + j];
                    double dc = dnh * og * (1 - tc * tc) + dprevC[r + j];
                    da[ga + j] = dc * gg * ig * (1 - ig);
                    da[ga + hid + j] = dc * prevC * fg * (1 - fg);
                    da[ga + 2 * hid + j] = dnh * tc * og * (1 - og);
                    da[ga + 3 * hid + j] = dc * ig * (1 - gg * gg);
                    dprevC[r + j] = dc * fg;
                }
            }
            KernelsF64.matmul(par, false, true, n, hid, g4, da, t * g4, steps * g4, wh, 0, g4, dprevH, 0, hid,
                    false);
        }
    }

    /**
     * dx = da Wx^T, dWx = x^T da, dWh = h_prev^T da and db = the column sums of da, each one product (or pass)
     * over all n*steps rows; h_prev is h shifted one step, h0 first.
     */
    static void parameterGrads(Parallel par, double[] x, double[] h0, double[] h, double[] wx, double[] da, int n,
                               int steps, int d, int hid, int gates, double[] dx, double[] dwx, double[] dwh,
                               double[] db) {
        int rows = n * steps;
        int gh = gates * hid;
        KernelsF64.matmul(par, false, true, rows, d, gh, da, 0, gh, wx, 0, gh, dx, 0, d, false);
        KernelsF64.matmul(par, true, false, d, gh, rows, x, 0, d, da, 0, gh, dwx, 0, gh, false);
        double[] prev = new double[rows * hid];
        for (int i = 0; i < n; i++) {
            System.arraycopy(h0, i * hid, prev, i * steps * hid, hid);
            System.arraycopy(h, i * steps * hid, prev, (i * steps + 1) * hid, (steps - 1) * hid);
        }
        KernelsF64.matmul(par, true, false, hid, gh, rows, prev, 0, hid, da, 0, gh, dwh, 0, gh, false);
        KernelsF64.sumRows(da, rows, gh, db);
    }

    /** rec (n, width) = h_{t-1} Wh, reading h_{t-1} in place from h (row stride rs), or h0 at t = 0. */
    private static void recurrentProduct(Parallel par, int t, double[] h0, double[] h, int rs, double[] wh, int n,
                                         int hid, int width, double[] rec) {
        if (t == 0) {
            KernelsF64.matmul(par, false, false, n, width, hid, h0, 0, hid, wh, 0, width, rec, 0, width, false);
        } else {
            KernelsF64.matmul(par, false, false, n, width, hid, h, (t - 1) * hid, rs, wh, 0, width, rec, 0, width,
                    false);
        }
    }
}
