package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Conv2d;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The depthwise kernels ({@code DepthwiseF64/F32}: padded stride phases, one pass over the plane per tap) against
 * the direct row loops they replaced, written out below: y and db bit for bit, dx bit for bit (its terms are
 * added in the row loops' order), dw to rounding (summed in another order). Runs with and without the Vector API
 * (backend-cpu/pom.xml's two test executions), over four kernel sizes, four strides (one wider than the plane),
 * three paddings (one asymmetric) and two plane sizes.
 */
class DepthwiseTest {
    private final Backend be = new CpuBackend(2);

    @ParameterizedTest
    @EnumSource(DType.class)
    void phasesComputeWhatTheRowLoopsDid(DType dt) {
        Random rng = new Random(11);
        int[][] kernels = {{3, 3}, {1, 1}, {5, 5}, {3, 2}};
        int[][] strides = {{1, 1}, {2, 2}, {3, 2}, {1, 3}};
        int[][] pads = {{1, 1, 1, 1}, {0, 0, 0, 0}, {2, 0, 1, 2}};
        // A plane of 9x11, and one of 2x3: smaller than some strides and kernels, one output row or column.
        int[][] sizes = {{9, 11}, {2, 3}};
        for (int[] hw : sizes) {
            for (int[] k : kernels) {
                for (int[] s : strides) {
                    for (int[] p : pads) {
                        if (hw[0] + p[0] + p[2] < k[0] || hw[1] + p[1] + p[3] < k[1]) {
                            continue; // the filter does not fit the padded plane
                        }
                        Conv2d.Spec spec = new Conv2d.Spec(s[0], s[1], p[0], p[1], p[2], p[3], 3);
                        String where = hw[0] + "x" + hw[1] + ", kernel " + k[0] + "x" + k[1] + ", stride " + s[0]
                                + "x" + s[1] + ", pads " + java.util.Arrays.toString(p) + ", " + dt;
                        check(dt, spec, hw[0], hw[1], k[0], k[1], rng, where);
                    }
                }
            }
        }
    }

    private void check(DType dt, Conv2d.Spec spec, int h, int w, int kh, int kw, Random rng, String where) {
        int n = 2;
        int c = 3;
        Tensor x = Tensors.randn(be, dt, rng, 1, n, c, h, w);
        Tensor wt = Tensors.randn(be, dt, rng, 0.5, c, 1, kh, kw);
        Tensor b = Tensors.randn(be, dt, rng, 0.5, c);
        Backend.Saved fwd = be.conv2dForward(x, wt, b, spec);
        Shape ys = fwd.out().shape();
        Tensor dout = Tensors.randn(be, dt, rng, 1, ys.dim(0), ys.dim(1), ys.dim(2), ys.dim(3));
        Conv2d.Grads g = be.conv2dBackward(dout, x, wt, spec, fwd.state());
        ConvGeometry geo = new ConvGeometry(n, c, h, w, c, kh, kw, ys.dim(2), ys.dim(3), spec.strideH(),
                spec.strideW(), spec.padTop(), spec.padLeft(), c);
        boolean f32 = dt == DType.FLOAT32;
        double[] xv = x.toDoubleArray();
        double[] wv = wt.toDoubleArray();
        double[] dv = dout.toDoubleArray();
        double[] y = new double[(int) ys.size()];
        double[] dx = new double[xv.length];
        double[] dw = new double[wv.length];
        double[] db = new double[c];
        rowLoops(geo, xv, wv, b.toDoubleArray(), dv, f32, y, dx, dw, db);
        assertArrayEquals(y, fwd.out().toDoubleArray(), "y, " + where);
        assertArrayEquals(dx, g.dx().toDoubleArray(), "dx, " + where);
        assertArrayEquals(db, g.db().toDoubleArray(), "db, " + where);
        double[] got = g.dw().toDoubleArray();
        for (int i = 0; i < dw.length; i++) {
            assertEquals(dw[i], got[i], (f32 ? 1e-6 : 1e-13) * (1 + Math.abs(dw[i])), "dw[" + i + "], " + where);
        }
    }

    /**
     * The row loops, in the element precision: a float operation is the double one rounded to float, which gives
     * float arithmetic's result exactly (double has more than twice float's precision).
     */
    private static void rowLoops(ConvGeometry g, double[] x, double[] wt, double[] b, double[] dout, boolean f32,
                                 double[] y, double[] dx, double[] dw, double[] db) {
        int k = g.kh() * g.kw();
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            int ch = plane % g.c();
            int xp = plane * g.h() * g.w();
            int yp = plane * g.pixels();
            for (int q = 0; q < g.pixels(); q++) {
                y[yp + q] = b[ch];
                db[ch] += dout[yp + q];
            }
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ki = 0; ki < g.kh(); ki++) {
                    int iy = oy * g.strideH() + ki - g.padTop();
                    if (iy < 0 || iy >= g.h()) {
                        continue;
                    }
                    for (int kj = 0; kj < g.kw(); kj++) {
                        double wv = wt[ch * k + ki * g.kw() + kj];
                        for (int ox = 0; ox < g.ow(); ox++) {
                            int ix = ox * g.strideW() + kj - g.padLeft();
                            if (ix < 0 || ix >= g.w()) {
                                continue;
                            }
                            int xi = xp + iy * g.w() + ix;
                            int yi = yp + oy * g.ow() + ox;
                            y[yi] = round(y[yi] + round(wv * x[xi], f32), f32);
                            dx[xi] = round(dx[xi] + round(wv * dout[yi], f32), f32);
                            dw[ch * k + ki * g.kw() + kj] += round(dout[yi] * x[xi], f32);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < dw.length; i++) {
            dw[i] = round(dw[i], f32);
        }
        for (int i = 0; i < db.length; i++) {
            db[i] = round(db[i], f32);
        }
    }

    private static double round(double v, boolean f32) {
        return f32 ? (float) v : v;
    }
}
