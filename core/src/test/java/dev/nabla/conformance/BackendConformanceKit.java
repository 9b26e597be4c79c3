package dev.nabla.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.check.Autograder;
import dev.nabla.check.GradientCheck;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import dev.nabla.nn.Lstm;
import dev.nabla.nn.LstmStep;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.RnnStep;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.nn.TemporalAffine;
import dev.nabla.nn.TemporalSoftmaxLoss;
import dev.nabla.nn.WordEmbedding;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance kit every backend runs: extend it and return the backend under test.
 *
 * <p>It covers tensors, every layer's worked examples and numeric gradients (through the
 * {@link Autograder}, one test per check), further hand-computed cases, FLOAT32 against FLOAT64,
 * and the shape-error messages.
 */
public abstract class BackendConformanceKit {
    private static final DType F64 = DType.FLOAT64;
    private static final DType F32 = DType.FLOAT32;

    /** The backend under test. */
    protected abstract Backend backend();

    private Tensor of(double[] v, int... dims) {
        return Tensors.of(backend(), F64, v, dims);
    }

    // ---- tensors -------------------------------------------------------------------------------

    @Test
    void tensorsRoundTripAndReshapeShareMemory() {
        for (DType dt : DType.values()) {
            Tensor t = Tensors.of(backend(), dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertEquals(Shape.of(2, 3), t.shape());
            assertEquals(dt, t.dtype());
            assertEquals(6, t.get(1, 2));
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toDoubleArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
            Tensor r = t.reshape(3, 2);
            r.setFlat(0, 10);
            assertEquals(10, t.get(0, 0), "reshape must share memory");
            Tensor c = t.copy();
            c.setFlat(1, -1);
            assertEquals(2, t.get(0, 1), "copy must not share memory");
            assertNotSame(t, c);
            assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
            Tensor other = t.toDType(dt == F64 ? F32 : F64);
            assertArrayEquals(t.toDoubleArray(), other.toDoubleArray());
        }
    }

    @Test
    void inPlaceUpdatesComputeWhatOptimizersNeed() {
        for (DType dt : DType.values()) {
            Tensor y = Tensors.of(backend(), dt, new double[] {1, 2, 3, 4}, 4);
            Tensor x = Tensors.of(backend(), dt, new double[] {2, -2, 0.5, 1}, 4);
            y.addScaled(0.5, x); // 1+1, 2-1, 3+0.25, 4+0.5
            assertArrayEquals(new double[] {2, 1, 3.25, 4.5}, y.toDoubleArray(), 1e-6);
            y.scale(2); // 4, 2, 6.5, 9
            assertArrayEquals(new double[] {4, 2, 6.5, 9}, y.toDoubleArray(), 1e-6);
            y.addScaledSquare(-1, x); // 4-4, 2-4, 6.5-0.25, 9-1
            assertArrayEquals(new double[] {0, -2, 6.25, 8}, y.toDoubleArray(), 1e-6);
            Tensor den = Tensors.of(backend(), dt, new double[] {4, 16, 1, 0}, 4);
            y.addScaledRatio(1, x, den, 1); // + 2/(2+1), -2/(4+1), 0.5/(1+1), 1/(0+1)
            assertArrayEquals(new double[] {2.0 / 3, -2.4, 6.5, 9}, y.toDoubleArray(), 1e-6);
            assertEquals(2.0 / 3 - 2.4 + 6.5 + 9, y.sum(), 1e-5);
            assertEquals(4 + 4 + 0.25 + 1, x.sumOfSquares(), 1e-6);
            Tensor z = backend().zeros(dt, Shape.of(4));
            z.assign(x);
            assertArrayEquals(x.toDoubleArray(), z.toDoubleArray());
        }
    }

    @Test
    void matmulMatchesNaiveProductInEveryTransposition() {
        Random rng = new Random(5);
        // Sizes that cross the blocking of a typical kernel (hundreds) and odd remainders; a tall and a
        // short product, since kernels often split work by rows for one and by columns for the other.
        for (int m : new int[] {67, 10}) {
            matmulCase(rng, m, 301, 530);
        }
    }

    private void matmulCase(Random rng, int m, int k, int n) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = Tensors.randn(backend(), F64, rng, 1, ta ? k : m, ta ? m : k);
                Tensor b = Tensors.randn(backend(), F64, rng, 1, tb ? n : k, tb ? k : n);
                double[] av = a.toDoubleArray();
                double[] bv = b.toDoubleArray();
                double[] expected = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            s += (ta ? av[p * m + i] : av[i * k + p]) * (tb ? bv[j * k + p] : bv[p * n + j]);
                        }
                        expected[i * n + j] = s;
                    }
                }
                Tensor c = backend().matmul(a, ta, b, tb);
                assertEquals(Shape.of(m, n), c.shape());
                assertTrue(GradientCheck.relError(c.toDoubleArray(), expected) < 1e-9,
                        "matmul transA=" + ta + " transB=" + tb);
                Tensor c32 = backend().matmul(a.toDType(F32), ta, b.toDType(F32), tb);
                assertTrue(maxScaledDiff(c32.toDoubleArray(), expected) < 1e-4, "FLOAT32 matmul " + ta + tb);
            }
        }
    }

    // ---- optimizers: two steps of each rule, computed by hand --------------------------------

    @Test
    void updateRulesTakeTheStepsComputedByHand() {
        // w = [1, -2], a constant gradient dw = [0.5, 1], learning rate 0.1, two updates each.
        // sgd:          w - 0.1 dw, twice                         -> [0.9, -2.2]
        // sgd_momentum: v1 = -0.1 dw = [-0.05, -0.1]; v2 = 0.9 v1 - 0.1 dw = [-0.095, -0.19]
        //               w = w + v1 + v2                            -> [0.855, -2.29]
        // rmsprop:      c1 = 0.01 dw^2 = [0.0025, 0.01], sqrt = [0.05, 0.1]: step 0.1 * dw / sqrt(c1) = [1, 1]
        //               c2 = 0.99 c1 + 0.01 dw^2 = 0.0199 dw^2: step 0.1 / sqrt(0.0199) = 0.70888 each
        //                                                          -> [1 - 1 - 0.70888, -2 - 1 - 0.70888]
        // adam:         with a constant gradient mhat = dw and vhat = dw^2 at every step, so each step is
        //               lr * sign(dw) (eps is negligible)         -> [0.8, -2.2]
        double r = 0.1 / Math.sqrt(0.0199);
        double[][] expected = {{0.9, -2.2}, {0.855, -2.29}, {-r, -3 - r}, {0.8, -2.2}};
        String[] rules = {"sgd", "sgd_momentum", "rmsprop", "adam"};
        for (DType dt : DType.values()) {
            for (int i = 0; i < rules.length; i++) {
                Tensor w = Tensors.of(backend(), dt, new double[] {1, -2}, 2);
                Tensor dw = Tensors.of(backend(), dt, new double[] {0.5, 1}, 2);
                dev.nabla.optim.Optimizer opt = dev.nabla.optim.Optimizer.named(rules[i], 0.1);
                opt.update("w", w, dw);
                opt.update("w", w, dw);
                // 1e-6: eps = 1e-8 against sqrt(cache) = 0.05 moves RMSProp by 2e-7 a step.
                assertArrayEquals(expected[i], w.toDoubleArray(), dt == F64 ? 1e-6 : 1e-5, rules[i] + " " + dt);
            }
        }
    }

    @Test
    void aLearningRateScaleAppliesToItsParameterOnly() {
        // One sgd_momentum step at lr 0.1 from v = 0, dw = [0.5, 1]: "a" at scale 0.1 moves by 0.01 dw, "b" by 0.1 dw.
        dev.nabla.optim.Optimizer opt = dev.nabla.optim.Optimizer.named("sgd_momentum", 0.1);
        opt.setLearningRateScale("a", 0.1);
        Tensor a = of(new double[] {1, -2}, 2);
        Tensor b = of(new double[] {1, -2}, 2);
        Tensor dw = of(new double[] {0.5, 1}, 2);
        opt.update("a", a, dw);
        opt.update("b", b, dw);
        assertArrayEquals(new double[] {0.995, -2.01}, a.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.95, -2.1}, b.toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> opt.setLearningRateScale("a", 0));
    }

    // ---- every autograder check, one test each ------------------------------------------------

    @TestFactory
    List<DynamicTest> autograderChecksPass() {
        return Autograder.run(backend()).stream()
                .map(r -> DynamicTest.dynamicTest(r.layer() + " " + r.what(),
                        () -> assertTrue(r.passed(), r.toString())))
                .toList();
    }

    // ---- more cases worked out by hand ---------------------------------------------------------

    @Test
    void convSumsOverChannelsPerFilter() {
        // x: one 2-channel 2x2 image, channel 0 = [[1,2],[3,4]], channel 1 = [[10,20],[30,40]].
        // Filter 0 is 1x1 with weights (1, 1): y0 = x0 + x1 = [[11,22],[33,44]], bias 0.
        // Filter 1 is 1x1 with weights (2, -0.1): y1 = 2*x0 - 0.1*x1 = [[1,2],[3,4]] after, plus bias 5.
        Tensor x = of(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Tensor w = of(new double[] {1, 1, 2, -0.1}, 2, 2, 1, 1);
        Tensor b = of(new double[] {0, 5}, 2);
        Tensor y = Conv2d.forward(x, w, b).out();
        assertEquals(Shape.of(1, 2, 2, 2), y.shape());
        assertArrayEquals(new double[] {11, 22, 33, 44, 6, 7, 8, 9}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void convBackwardByHand() {
        // One 3x3 image, one 2x2 filter w = [[1,2],[3,4]], upstream gradient of ones (2x2).
        // db = 4. dW[i,j] = sum of the 2x2 window of x at offset (i,j):
        //   x = [[1,2,3],[4,5,6],[7,8,9]] -> dW = [[12,16],[24,28]].
        // dX = full convolution of ones with w: each pixel adds the weights whose window covers it:
        //   corners 1,2,3,4; edges 1+2, 1+3, 2+4, 3+4; centre 1+2+3+4.
        Tensor x = of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor b = of(new double[] {0}, 1);
        Conv2d.Grads g = Conv2d.backward(of(new double[] {1, 1, 1, 1}, 1, 1, 2, 2), Conv2d.forward(x, w, b).cache());
        assertArrayEquals(new double[] {4}, g.db().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {12, 16, 24, 28}, g.dw().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, g.dx().toDoubleArray(), 1e-12);
    }

    @Test
    void affineFlattensEachSampleAndSumsBiasGradient() {
        // x (2, 2, 2) flattens to rows [1,0,0,0] and [0,0,0,2]; w (4, 1) = [1,2,3,4]^T; b = [10].
        Tensor x = of(new double[] {1, 0, 0, 0, 0, 0, 0, 2}, 2, 2, 2);
        Tensor w = of(new double[] {1, 2, 3, 4}, 4, 1);
        Tensor b = of(new double[] {10}, 1);
        Forward<Affine.Cache> f = Affine.forward(x, w, b);
        assertArrayEquals(new double[] {11, 18}, f.out().toDoubleArray(), 1e-12);
        Affine.Grads g = Affine.backward(of(new double[] {1, -1}, 2, 1), f.cache());
        assertEquals(Shape.of(2, 2, 2), g.dx().shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, -1, -2, -3, -4}, g.dx().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0, -2}, g.dw().toDoubleArray(), 1e-12); // x^T dout
        assertArrayEquals(new double[] {0}, g.db().toDoubleArray(), 1e-12);
    }

    @Test
    void maxPoolRoutesGradientToTheMaximum() {
        // One 2x4 plane, 2x2 windows stride 2: [[1,9,4,2],[3,0,8,7]] -> maxima 9 (at 1) and 8 (at 6).
        Tensor x = of(new double[] {1, 9, 4, 2, 3, 0, 8, 7}, 1, 1, 2, 4);
        Forward<MaxPool2d.Cache> f = MaxPool2d.forward(x, MaxPool2d.Spec.TWO_BY_TWO);
        assertArrayEquals(new double[] {9, 8}, f.out().toDoubleArray(), 1e-12);
        Tensor dx = MaxPool2d.backward(of(new double[] {5, -3}, 1, 1, 1, 2), f.cache());
        assertArrayEquals(new double[] {0, 5, 0, 0, 0, 0, -3, 0}, dx.toDoubleArray(), 1e-12);
    }

    @Test
    void softmaxLossOfTwoRowsByHand() {
        // Row 0: scores [log 1, log 3] -> p = [1/4, 3/4], label 1: loss -log(3/4).
        // Row 1: scores [0, 0] -> p = [1/2, 1/2], label 0: loss log 2.
        SoftmaxLoss.Result r = SoftmaxLoss.forwardBackward(of(new double[] {0, Math.log(3), 0, 0}, 2, 2),
                new int[] {1, 0});
        assertEquals((-Math.log(0.75) + Math.log(2)) / 2, r.loss(), 1e-12);
        assertArrayEquals(new double[] {0.25 / 2, -0.25 / 2, -0.5 / 2, 0.5 / 2}, r.dscores().toDoubleArray(), 1e-12);
    }

    @Test
    void convGradientsEqualTheDerivedFullAndFiltFormulas() {
        // docs/derivations.md: dX[n,c] = sum_f W[f,c] *full dY[n,f] and dW[f,c] = sum_n X[n,c] *filt dY[n,f],
        // computed here literally, loop by loop, and compared with the backend's backward.
        Random rng = new Random(11);
        int n = 2, c = 3, h = 6, wd = 5, f = 4, kh = 3, kw = 2;
        int oh = h - kh + 1, ow = wd - kw + 1;
        Tensor x = Tensors.randn(backend(), F64, rng, 1, n, c, h, wd);
        Tensor w = Tensors.randn(backend(), F64, rng, 1, f, c, kh, kw);
        Tensor b = Tensors.randn(backend(), F64, rng, 1, f);
        Tensor dy = Tensors.randn(backend(), F64, rng, 1, n, f, oh, ow);
        Conv2d.Grads g = Conv2d.backward(dy, Conv2d.forward(x, w, b).cache());

        double[] dxExpected = new double[n * c * h * wd];
        double[] dwExpected = new double[f * c * kh * kw];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int jf = 0; jf < f; jf++) {
                    double[][] wfc = plane(w, jf, ic);
                    double[][] dyn = plane(dy, in, jf);
                    double[][] xnc = plane(x, in, ic);
                    addInto(dxExpected, ((in * c) + ic) * h * wd, fullConvolution(wfc, dyn));
                    addInto(dwExpected, ((jf * c) + ic) * kh * kw, filter(xnc, dyn));
                }
            }
        }
        assertTrue(GradientCheck.relError(g.dx().toDoubleArray(), dxExpected) < 1e-12, "dX by *full");
        assertTrue(GradientCheck.relError(g.dw().toDoubleArray(), dwExpected) < 1e-12, "dW by *filt");
    }

    /** The full convolution a *full k: zero-pad a, flip k, slide: out (ah+kh-1, aw+kw-1). */
    private static double[][] fullConvolution(double[][] a, double[][] k) {
        int ah = a.length, aw = a[0].length, kh = k.length, kw = k[0].length;
        double[][] out = new double[ah + kh - 1][aw + kw - 1];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[0].length; j++) {
                double s = 0;
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        int ai = i - p, aj = j - q;
                        if (ai >= 0 && ai < ah && aj >= 0 && aj < aw) {
                            s += a[ai][aj] * k[p][q];
                        }
                    }
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    /** The valid filtering a *filt k (cross-correlation): out (ah-kh+1, aw-kw+1). */
    private static double[][] filter(double[][] a, double[][] k) {
        int oh = a.length - k.length + 1, ow = a[0].length - k[0].length + 1;
        double[][] out = new double[oh][ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int p = 0; p < k.length; p++) {
                    for (int q = 0; q < k[0].length; q++) {
                        s += a[i + p][j + q] * k[p][q];
                    }
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    private static double[][] plane(Tensor t, int i0, int i1) {
        int h = t.shape().dim(2), w = t.shape().dim(3);
        double[][] p = new double[h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                p[i][j] = t.get(i0, i1, i, j);
            }
        }
        return p;
    }

    private static void addInto(double[] dst, int off, double[][] p) {
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                dst[off + i * p[0].length + j] += p[i][j];
            }
        }
    }

    // ---- the element-wise, column and row primitives of the recurrent layers, by hand ---------

    @Test
    void recurrentPrimitivesByHand() {
        for (DType dt : DType.values()) {
            Backend be = backend();
            Tensor m = Tensors.of(be, dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new double[] {2, 3, 5, 6}, be.columns(m, 1, 3).toDoubleArray());
            be.setColumns(m, 0, Tensors.of(be, dt, new double[] {-1, -4}, 2, 1));
            assertArrayEquals(new double[] {-1, 2, 3, -4, 5, 6}, m.toDoubleArray());
            // Rows 2, 0, 2 of m^T-like table [[1, 2], [3, 4], [5, 6]]; scattering them back adds row 2 twice.
            Tensor table = Tensors.of(be, dt, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
            Tensor rows = be.gatherRows(table, new int[] {2, 0, 2});
            assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6}, rows.toDoubleArray());
            assertArrayEquals(new double[] {1, 2, 0, 0, 10, 12},
                    be.scatterAddRows(rows, new int[] {2, 0, 2}, 3).toDoubleArray());
            Tensor x = Tensors.of(be, dt, new double[] {0, 1, -800, 800}, 4);
            assertArrayEquals(new double[] {0, Math.tanh(1), -1, 1}, be.tanh(x).toDoubleArray(), 1e-6);
            // sigmoid(0) = 1/2, sigmoid(1) = 1/(1+e^-1); at +-800 exactly 0 and 1, no overflow.
            assertArrayEquals(new double[] {0.5, 1 / (1 + Math.exp(-1)), 0, 1}, be.sigmoid(x).toDoubleArray(), 1e-6);
            Tensor y = Tensors.of(be, dt, new double[] {0.5, -0.5}, 2);
            Tensor d = Tensors.of(be, dt, new double[] {2, 4}, 2);
            assertArrayEquals(new double[] {1.5, 3}, be.tanhBackward(d, y).toDoubleArray(), 1e-6); // 2*(1-.25)
            assertArrayEquals(new double[] {0.5, -3}, be.sigmoidBackward(d, y).toDoubleArray(), 1e-6); // 2*.5*.5
            assertArrayEquals(new double[] {1, -2}, be.mul(d, y).toDoubleArray(), 1e-6);
            // Weighted softmax: two rows of equal scores over 2 classes, weights 0.25 and 0:
            // loss = 0.25 log 2, dscores row 0 = 0.25 * ([0.5, 0.5] - [0, 1]), row 1 = 0.
            SoftmaxLoss.Result r = be.softmaxLoss(Tensors.of(be, dt, new double[4], 2, 2), new int[] {1, 0},
                    new double[] {0.25, 0});
            assertEquals(0.25 * Math.log(2), r.loss(), 1e-6);
            assertArrayEquals(new double[] {0.125, -0.125, 0, 0}, r.dscores().toDoubleArray(), 1e-6);
        }
    }

    // ---- FLOAT32 agrees with FLOAT64 ----------------------------------------------------------

    @Test
    void float32AgreesWithFloat64ForEveryLayer() {
        Random rng = new Random(3);
        Tensor x = Tensors.randn(backend(), F64, rng, 1, 8, 3, 12, 12);
        Tensor w = Tensors.randn(backend(), F64, rng, 0.3, 5, 3, 5, 5);
        Tensor b = Tensors.randn(backend(), F64, rng, 1, 5);
        Tensor fcW = Tensors.randn(backend(), F64, rng, 0.1, 5 * 4 * 4, 10);
        Tensor fcB = Tensors.randn(backend(), F64, rng, 1, 10);
        int[] labels = new int[8];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        double[][] r64 = convNetPass(x, w, b, fcW, fcB, labels);
        double[][] r32 = convNetPass(x.toDType(F32), w.toDType(F32), b.toDType(F32), fcW.toDType(F32),
                fcB.toDType(F32), labels);
        String[] names = {"loss", "conv out", "relu out", "pool out", "affine out", "d affine x", "d affine w",
            "d affine b", "d pool x", "d relu x", "d conv x", "d conv w", "d conv b"};
        for (int i = 0; i < names.length; i++) {
            double diff = maxScaledDiff(r32[i], r64[i]);
            assertTrue(diff < 1e-4, names[i] + ": FLOAT32 differs from FLOAT64 by " + diff);
        }
    }

    @Test
    void float32AgreesWithFloat64ForTheRecurrentLayers() {
        Random rng = new Random(5);
        Tensor[] p64 = {Tensors.randn(backend(), F64, rng, 0.5, 7, 4), Tensors.randn(backend(), F64, rng, 1, 3, 5),
            Tensors.randn(backend(), F64, rng, 0.4, 4, 5), Tensors.randn(backend(), F64, rng, 0.4, 5, 5),
            Tensors.randn(backend(), F64, rng, 0.5, 5), Tensors.randn(backend(), F64, rng, 0.4, 5, 20),
            Tensors.randn(backend(), F64, rng, 0.4, 5, 20), Tensors.randn(backend(), F64, rng, 0.5, 20),
            Tensors.randn(backend(), F64, rng, 0.4, 5, 7), Tensors.randn(backend(), F64, rng, 0.5, 7)};
        Tensor[] p32 = new Tensor[p64.length];
        for (int i = 0; i < p64.length; i++) {
            p32[i] = p64[i].toDType(F32);
        }
        int[][] ids = {{1, 4, 4, 6}, {0, 2, 5, 3}, {6, 6, 1, 0}};
        boolean[][] mask = {{true, true, true, false}, {true, true, true, true}, {true, true, false, false}};
        double[][] r64 = recurrentPass(p64, ids, mask);
        double[][] r32 = recurrentPass(p32, ids, mask);
        for (int i = 0; i < r64.length; i++) {
            double diff = maxScaledDiff(r32[i], r64[i]);
            assertTrue(diff < 1e-4, "recurrent pass result " + i + ": FLOAT32 differs from FLOAT64 by " + diff);
        }
    }

    /**
     * The backend's sequence kernels (fused, where it overrides them) against the generic step-by-step
     * composition in FLOAT64, at a small shape and at one large enough for the products to be split over threads.
     */
    @Test
    void sequenceKernelsAgreeWithTheStepwiseComposition() {
        Random rng = new Random(11);
        for (int[] s : new int[][] {{3, 4, 4, 5}, {40, 6, 32, 48}}) {
            for (int gates : new int[] {1, 4}) {
                int n = s[0];
                int steps = s[1];
                int d = s[2];
                int h = s[3];
                Tensor x = Tensors.randn(backend(), F64, rng, 1, n, steps, d);
                Tensor h0 = Tensors.randn(backend(), F64, rng, 0.5, n, h);
                Tensor wx = Tensors.randn(backend(), F64, rng, 1 / Math.sqrt(d), d, gates * h);
                Tensor wh = Tensors.randn(backend(), F64, rng, 1 / Math.sqrt(h), h, gates * h);
                Tensor b = Tensors.randn(backend(), F64, rng, 0.5, gates * h);
                Tensor dh = Tensors.randn(backend(), F64, rng, 1, n, steps, h);
                Backend be = backend();
                Backend.Saved fused = gates == 1 ? be.rnnForward(x, h0, wx, wh, b) : be.lstmForward(x, h0, wx, wh, b);
                Backend.Saved generic = gates == 1 ? Rnn.stepwiseForward(x, h0, wx, wh, b)
                        : Lstm.stepwiseForward(x, h0, wx, wh, b);
                Rnn.Grads gf = gates == 1 ? be.rnnBackward(dh, fused.state()) : be.lstmBackward(dh, fused.state());
                Rnn.Grads gg = gates == 1 ? Rnn.stepwiseBackward(dh, generic.state())
                        : Lstm.stepwiseBackward(dh, generic.state());
                Tensor[][] pairs = {{fused.out(), generic.out()}, {gf.dx(), gg.dx()}, {gf.dh0(), gg.dh0()},
                    {gf.dwx(), gg.dwx()}, {gf.dwh(), gg.dwh()}, {gf.db(), gg.db()}};
                String[] names = {"h", "dx", "dh0", "dWx", "dWh", "db"};
                for (int i = 0; i < pairs.length; i++) {
                    assertEquals(pairs[i][1].shape(), pairs[i][0].shape(), names[i]);
                    double diff = maxScaledDiff(pairs[i][0].toDoubleArray(), pairs[i][1].toDoubleArray());
                    assertTrue(diff < 1e-12, (gates == 1 ? "rnn " : "lstm ") + names[i] + " at " + List.of(n, steps, d,
                            h) + ": the backend's sequence differs from the stepwise composition by " + diff);
                }
            }
        }
    }

    /**
     * embedding -> RNN -> LSTM -> temporal affine -> masked temporal softmax loss and back, with parameters
     * W_embed, h0, RNN Wx, Wh, b, LSTM Wx, Wh, b, W_out, b_out; the loss and every gradient, flattened.
     */
    private static double[][] recurrentPass(Tensor[] p, int[][] ids, boolean[][] mask) {
        var embed = WordEmbedding.forward(ids, p[0]);
        var rnn = Rnn.forward(embed.out(), p[1], p[2], p[3], p[4]);
        var lstm = Lstm.forward(rnn.out(), p[1], p[5], p[6], p[7]);
        var out = TemporalAffine.forward(lstm.out(), p[8], p[9]);
        SoftmaxLoss.Result loss = TemporalSoftmaxLoss.forwardBackward(out.out(), ids, mask);
        Affine.Grads dout = TemporalAffine.backward(loss.dscores(), out.cache());
        Rnn.Grads dlstm = Lstm.backward(dout.dx(), lstm.cache());
        Rnn.Grads drnn = Rnn.backward(dlstm.dx(), rnn.cache());
        Tensor dembed = WordEmbedding.backward(drnn.dx(), embed.cache());
        return new double[][] {{loss.loss()}, out.out().toDoubleArray(), dout.dw().toDoubleArray(),
            dlstm.dwx().toDoubleArray(), dlstm.dwh().toDoubleArray(), dlstm.db().toDoubleArray(),
            dlstm.dh0().toDoubleArray(), drnn.dwx().toDoubleArray(), drnn.dwh().toDoubleArray(),
            drnn.dh0().toDoubleArray(), dembed.toDoubleArray()};
    }

    /** conv -> relu -> pool -> affine -> softmax loss and back; every intermediate, flattened. */
    private static double[][] convNetPass(Tensor x, Tensor w, Tensor b, Tensor fcW, Tensor fcB, int[] labels) {
        var conv = Conv2d.forward(x, w, b);
        var relu = ReLU.forward(conv.out());
        var pool = MaxPool2d.forward(relu.out(), MaxPool2d.Spec.TWO_BY_TWO);
        var fc = Affine.forward(pool.out(), fcW, fcB);
        SoftmaxLoss.Result loss = SoftmaxLoss.forwardBackward(fc.out(), labels);
        Affine.Grads dfc = Affine.backward(loss.dscores(), fc.cache());
        Tensor dpool = MaxPool2d.backward(dfc.dx(), pool.cache());
        Tensor drelu = ReLU.backward(dpool, relu.cache());
        Conv2d.Grads dconv = Conv2d.backward(drelu, conv.cache());
        return new double[][] {{loss.loss()}, conv.out().toDoubleArray(), relu.out().toDoubleArray(),
            pool.out().toDoubleArray(), fc.out().toDoubleArray(), dfc.dx().toDoubleArray(),
            dfc.dw().toDoubleArray(), dfc.db().toDoubleArray(), dpool.toDoubleArray(), drelu.toDoubleArray(),
            dconv.dx().toDoubleArray(), dconv.dw().toDoubleArray(), dconv.db().toDoubleArray()};
    }

    /** max |a - b| / max |b|: agreement relative to the size of the values, robust to entries near 0. */
    private static double maxScaledDiff(double[] a, double[] b) {
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    // ---- shape errors name the layer, the argument and both shapes -----------------------------

    @Test
    void affineRejectsMismatchedWeights() {
        Tensor x = backend().zeros(F64, Shape.of(4, 3, 4));
        Tensor w = backend().zeros(F64, Shape.of(10, 5));
        Tensor b = backend().zeros(F64, Shape.of(5));
        String msg = assertThrows(IllegalArgumentException.class, () -> Affine.forward(x, w, b)).getMessage();
        assertMentions(msg, "Affine.forward", "w", "(10, 5)", "(4, 3, 4)");
        Tensor b2 = backend().zeros(F64, Shape.of(7));
        Tensor w2 = backend().zeros(F64, Shape.of(12, 5));
        msg = assertThrows(IllegalArgumentException.class, () -> Affine.forward(x, w2, b2)).getMessage();
        assertMentions(msg, "Affine.forward", "b", "(7,)", "(12, 5)");
    }

    @Test
    void convRejectsChannelMismatchAndOversizedFilters() {
        Tensor x = backend().zeros(F64, Shape.of(2, 3, 8, 8));
        Tensor w = backend().zeros(F64, Shape.of(4, 2, 3, 3));
        Tensor b = backend().zeros(F64, Shape.of(4));
        String msg = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(x, w, b)).getMessage();
        assertMentions(msg, "Conv2d.forward", "w", "(4, 2, 3, 3)", "(2, 3, 8, 8)", "channel");
        Tensor big = backend().zeros(F64, Shape.of(4, 3, 9, 9));
        msg = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(x, big, b)).getMessage();
        assertMentions(msg, "Conv2d.forward", "(4, 3, 9, 9)", "(2, 3, 8, 8)");
        Tensor flat = backend().zeros(F64, Shape.of(2, 64));
        msg = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(flat, w, b)).getMessage();
        assertMentions(msg, "Conv2d.forward", "x", "(N, C, H, W)", "(2, 64)");
    }

    @Test
    void groupedConvRejectsChannelsThatDoNotSplit() {
        Tensor x = backend().zeros(F64, Shape.of(1, 4, 5, 5));
        Tensor w = backend().zeros(F64, Shape.of(4, 1, 3, 3));
        Tensor b = backend().zeros(F64, Shape.of(4));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(x, w, b, Conv2d.Spec.VALID.withGroups(2))).getMessage();
        assertMentions(msg, "Conv2d.forward", "(4, 1, 3, 3)", "(1, 4, 5, 5)", "groups");
        Tensor w3 = backend().zeros(F64, Shape.of(3, 2, 3, 3));
        Tensor b3 = backend().zeros(F64, Shape.of(3));
        msg = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(x, w3, b3, Conv2d.Spec.VALID.withGroups(2))).getMessage();
        assertMentions(msg, "Conv2d.forward", "(3, 2, 3, 3)", "groups");
        assertThrows(IllegalArgumentException.class, () -> Conv2d.Spec.VALID.withGroups(0));
    }

    @Test
    void backwardRejectsUpstreamGradientOfTheWrongShape() {
        Tensor x = backend().zeros(F64, Shape.of(2, 1, 6, 6));
        var pool = MaxPool2d.forward(x, MaxPool2d.Spec.TWO_BY_TWO);
        Tensor wrong = backend().zeros(F64, Shape.of(2, 1, 2, 3));
        String msg = assertThrows(IllegalArgumentException.class, () -> MaxPool2d.backward(wrong, pool.cache()))
                .getMessage();
        assertMentions(msg, "MaxPool2d.backward", "dout", "(2, 1, 2, 3)", "(2, 1, 3, 3)");
        var relu = ReLU.forward(x);
        msg = assertThrows(IllegalArgumentException.class, () -> ReLU.backward(wrong, relu.cache())).getMessage();
        assertMentions(msg, "ReLU.backward", "dout", "(2, 1, 2, 3)", "(2, 1, 6, 6)");
    }

    @Test
    void softmaxLossRejectsBadLabels() {
        Tensor s = backend().zeros(F64, Shape.of(3, 4));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxLoss.forwardBackward(s, new int[] {0, 1})).getMessage();
        assertMentions(msg, "SoftmaxLoss", "labels", "(3, 4)");
        msg = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxLoss.forwardBackward(s, new int[] {0, 4, 1})).getMessage();
        assertMentions(msg, "SoftmaxLoss", "labels[1] = 4");
    }

    @Test
    void mixedDtypesAreRejected() {
        Tensor x = backend().zeros(F64, Shape.of(2, 3));
        Tensor w = backend().zeros(F32, Shape.of(3, 4));
        Tensor b = backend().zeros(F64, Shape.of(4));
        String msg = assertThrows(IllegalArgumentException.class, () -> Affine.forward(x, w, b)).getMessage();
        assertMentions(msg, "Affine.forward", "w", "FLOAT32", "FLOAT64");
    }

    @Test
    void recurrentLayersRejectMismatchedShapes() {
        Tensor x = backend().zeros(F64, Shape.of(2, 3));
        Tensor h = backend().zeros(F64, Shape.of(2, 4));
        Tensor wx = backend().zeros(F64, Shape.of(5, 4));
        Tensor wh = backend().zeros(F64, Shape.of(4, 4));
        Tensor b = backend().zeros(F64, Shape.of(4));
        String msg = assertThrows(IllegalArgumentException.class, () -> RnnStep.forward(x, h, wx, wh, b)).getMessage();
        assertMentions(msg, "RnnStep.forward", "wx", "(5, 4)", "(2, 3)");
        Tensor wx4 = backend().zeros(F64, Shape.of(3, 4));
        msg = assertThrows(IllegalArgumentException.class, () -> LstmStep.forward(x, h, h, wx4, wh, b)).getMessage();
        assertMentions(msg, "LstmStep.forward", "wx", "(3, 4)", "(3, 16)");
        Tensor seq = backend().zeros(F64, Shape.of(2, 5, 3));
        Tensor wh3 = backend().zeros(F64, Shape.of(3, 4));
        msg = assertThrows(IllegalArgumentException.class, () -> Rnn.forward(seq, h, wx4, wh3, b)).getMessage();
        assertMentions(msg, "Rnn.forward", "wh", "(3, 4)", "(2, 4)");
        msg = assertThrows(IllegalArgumentException.class, () -> Lstm.forward(x, h, wx4, wh, b)).getMessage();
        assertMentions(msg, "Lstm.forward", "x", "(N, T, D)", "(2, 3)");
        var rnn = Rnn.forward(seq, h, wx4, wh, b);
        Tensor dh = backend().zeros(F64, Shape.of(2, 4, 4));
        msg = assertThrows(IllegalArgumentException.class, () -> Rnn.backward(dh, rnn.cache())).getMessage();
        assertMentions(msg, "Rnn.backward", "dh", "(2, 4, 4)", "(2, 5, 4)");
        msg = assertThrows(IllegalArgumentException.class, () -> TemporalAffine.forward(seq, wx, b)).getMessage();
        assertMentions(msg, "TemporalAffine.forward", "w", "(5, 4)", "(2, 5, 3)");
        Tensor emb = backend().zeros(F64, Shape.of(5, 3));
        msg = assertThrows(IllegalArgumentException.class,
                () -> WordEmbedding.forward(new int[][] {{0, 5}}, emb)).getMessage();
        assertMentions(msg, "WordEmbedding.forward", "x[0][1] = 5", "(5, 3)");
        msg = assertThrows(IllegalArgumentException.class, () -> TemporalSoftmaxLoss.forwardBackward(seq,
                new int[][] {{0, 1}, {0, 1}}, new boolean[2][2])).getMessage();
        assertMentions(msg, "TemporalSoftmaxLoss", "targets", "(2, 5, 3)");
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }
}
