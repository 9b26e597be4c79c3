package dev.nabla.check;

import static dev.nabla.check.GradientCheck.H;
import static dev.nabla.check.GradientCheck.numericGradient;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Add;
import dev.nabla.nn.Affine;
import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.ChannelAffine;
import dev.nabla.nn.Clip;
import dev.nabla.nn.Concat;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Forward;
import dev.nabla.nn.GlobalAvgPool;
import dev.nabla.nn.LeakyReLU;
import dev.nabla.nn.Lstm;
import dev.nabla.nn.LstmStep;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Mul;
import dev.nabla.nn.Pad;
import dev.nabla.nn.ReLU6;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.RnnStep;
import dev.nabla.nn.Sigmoid;
import dev.nabla.nn.Softmax;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.nn.Sub;
import dev.nabla.nn.Tanh;
import dev.nabla.nn.TemporalAffine;
import dev.nabla.nn.TemporalSoftmaxLoss;
import dev.nabla.nn.WordEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The course's autograder: every layer's forward against a worked example, and its backward against
 * numeric gradients, all in FLOAT64 on one backend.
 *
 * <p>Worked examples are small enough to verify with pencil and paper; the expected numbers are
 * written next to the arithmetic that produces them. A layer added to {@link dev.nabla.nn} adds its
 * checks here.
 */
public final class Autograder {
    /** The largest relative error a check may show and still pass. */
    public static final double TOLERANCE = 1e-7;

    private static final DType F64 = DType.FLOAT64;

    private Autograder() {
    }

    /** The outcome of one check. */
    public record Result(String layer, String what, double relError) {
        /** True when the relative error is within {@link #TOLERANCE}. */
        public boolean passed() {
            return relError <= TOLERANCE;
        }

        /** {@code PASS <layer> <what> rel_error=<x>} or {@code FAIL ...}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %s rel_error=%.3e", passed() ? "PASS" : "FAIL", layer, what,
                    relError);
        }
    }

    /** Runs every check on {@code backend}; a check that throws is reported as a failure with NaN error. */
    public static List<Result> run(Backend backend) {
        List<Result> out = new ArrayList<>();
        Grader g = new Grader(backend, out);
        g.guard("affine", () -> affine(g));
        g.guard("relu", () -> relu(g));
        g.guard("conv", () -> conv(g));
        g.guard("max_pool", () -> maxPool(g));
        g.guard("softmax_loss", () -> softmaxLoss(g));
        g.guard("rnn_step", () -> rnnStep(g));
        g.guard("rnn", () -> rnn(g));
        g.guard("temporal_affine", () -> temporalAffine(g));
        g.guard("word_embedding", () -> wordEmbedding(g));
        g.guard("temporal_softmax_loss", () -> temporalSoftmaxLoss(g));
        g.guard("lstm_step", () -> lstmStep(g));
        g.guard("lstm", () -> lstm(g));
        g.guard("relu6", () -> relu6(g.seeded(6)));
        g.guard("global_avg_pool", () -> globalAvgPool(g.seeded(7)));
        g.guard("add", () -> add(g.seeded(8)));
        g.guard("batch_norm", () -> batchNorm(g.seeded(9)));
        g.guard("dropout", () -> dropout(g.seeded(10)));
        g.guard("avg_pool", () -> avgPool(g.seeded(11)));
        g.guard("concat", () -> concat(g.seeded(12)));
        g.guard("softmax", () -> softmax(g.seeded(13)));
        g.guard("sigmoid", () -> sigmoid(g.seeded(14)));
        g.guard("tanh", () -> tanh(g.seeded(15)));
        g.guard("max_pool", () -> maxPoolPadded(g.seeded(16)));
        g.guard("leaky_relu", () -> leakyRelu(g.seeded(17)));
        g.guard("clip", () -> clip(g.seeded(18)));
        g.guard("channel_affine", () -> channelAffine(g.seeded(19)));
        g.guard("mul", () -> mul(g.seeded(20)));
        g.guard("sub", () -> sub(g.seeded(21)));
        g.guard("pad", () -> pad(g.seeded(22)));
        return out;
    }

    private static void affine(Grader g) {
        // x is (2, 1, 2), flattened to rows [1, 2] and [3, 4].
        // [1,2] . W = [1*1+2*0, 1*0+2*1, 1*2+2*(-1)] = [1, 2, 0]; + b = [1.5, 1, 0]
        // [3,4] . W = [3, 4, 6-4] = [3, 4, 2];                    + b = [3.5, 3, 2]
        Tensor x = g.of(new double[] {1, 2, 3, 4}, 2, 1, 2);
        Tensor w = g.of(new double[] {1, 0, 2, 0, 1, -1}, 2, 3);
        Tensor b = g.of(new double[] {0.5, -1, 0}, 3);
        g.expect("affine", "forward", Affine.forward(x, w, b).out(), new double[] {1.5, 1, 0, 3.5, 3, 2});

        Tensor xr = g.randn(3, 2, 5);
        Tensor wr = g.randn(10, 4);
        Tensor br = g.randn(4);
        Tensor dout = g.randn(3, 4);
        Affine.Grads grads = Affine.backward(dout, Affine.forward(xr, wr, br).cache());
        g.gradient("affine", "dx", grads.dx(), numericGradient(() -> Affine.forward(xr, wr, br).out(), xr, dout, H));
        g.gradient("affine", "dw", grads.dw(), numericGradient(() -> Affine.forward(xr, wr, br).out(), wr, dout, H));
        g.gradient("affine", "db", grads.db(), numericGradient(() -> Affine.forward(xr, wr, br).out(), br, dout, H));
    }

    private static void relu(Grader g) {
        Tensor x = g.of(new double[] {-2, -0.5, 0, 0.5, 3, -1e-3}, 2, 3);
        g.expect("relu", "forward", ReLU.forward(x).out(), new double[] {0, 0, 0, 0.5, 3, 0});

        // Keep inputs away from the kink at 0, where the centered difference is meaningless.
        double[] v = g.randn(4, 5).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += Math.copySign(0.01, v[i]);
        }
        Tensor xr = g.of(v, 4, 5);
        Tensor dout = g.randn(4, 5);
        Tensor dx = ReLU.backward(dout, ReLU.forward(xr).cache());
        g.gradient("relu", "dx", dx, numericGradient(() -> ReLU.forward(xr).out(), xr, dout, H));
    }

    private static void conv(Grader g) {
        // One 3x3 image [[1,2,3],[4,5,6],[7,8,9]], one 2x2 filter [[1,2],[3,4]], bias 1:
        // top-left     1*1 + 2*2 + 3*4 + 4*5 + 1 = 38    top-right    2*1 + 3*2 + 5*3 + 6*4 + 1 = 48
        // bottom-left  4*1 + 5*2 + 7*3 + 8*4 + 1 = 68    bottom-right 5*1 + 6*2 + 8*3 + 9*4 + 1 = 78
        Tensor x = g.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = g.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor b = g.of(new double[] {1}, 1);
        g.expect("conv", "forward", Conv2d.forward(x, w, b).out(), new double[] {38, 48, 68, 78});
        // Stride 2, padding 1, a 3x3 filter of ones, bias 0: each output sums one 2x2 corner of the image,
        // 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
        Tensor ones = g.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 3, 3);
        Tensor zero = g.of(new double[] {0}, 1);
        g.expect("conv", "forward_stride2_pad1", Conv2d.forward(x, ones, zero, Conv2d.Spec.of(2, 1)).out(),
                new double[] {12, 16, 24, 28});

        // Depthwise (groups 2): channel 0 [[1,2],[3,4]] with a 2x2 filter of ones, bias 1: 1+2+3+4+1 = 11;
        // channel 1 [[5,6],[7,8]] with [[1,0],[0,-1]], bias 0: 5-8 = -3.
        Tensor x2 = g.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        Tensor w2 = g.of(new double[] {1, 1, 1, 1, 1, 0, 0, -1}, 2, 1, 2, 2);
        Tensor b2 = g.of(new double[] {1, 0}, 2);
        g.expect("conv", "forward_depthwise", Conv2d.forward(x2, w2, b2, Conv2d.Spec.VALID.withGroups(2)).out(),
                new double[] {11, -3});

        convGradients(g, "", Conv2d.Spec.VALID, new int[] {2, 3, 7, 6}, new int[] {4, 3, 3, 2});
        convGradients(g, "_stride2_pad", new Conv2d.Spec(2, 2, 1, 0, 2, 1), new int[] {2, 3, 7, 6},
                new int[] {4, 3, 3, 2});
        // MobileNetV2's depthwise stride-2 form: TF "SAME" padding, 0 on top/left and 1 on bottom/right.
        Grader gg = g.seeded(5);
        convGradients(gg, "_depthwise_stride2", new Conv2d.Spec(2, 2, 0, 0, 1, 1, 4), new int[] {2, 4, 7, 6},
                new int[] {4, 1, 3, 3});
        convGradients(gg, "_groups2", new Conv2d.Spec(1, 1, 1, 1, 1, 1, 2), new int[] {2, 4, 5, 5},
                new int[] {6, 2, 3, 2});
    }

    private static void convGradients(Grader g, String suffix, Conv2d.Spec spec, int[] xDims, int[] wDims) {
        Tensor x = g.randn(xDims);
        Tensor w = g.randn(wDims);
        Tensor b = g.randn(wDims[0]);
        Forward<Conv2d.Cache> fwd = Conv2d.forward(x, w, b, spec);
        Tensor dout = g.randn(fwd.out().shape().dims());
        Conv2d.Grads grads = Conv2d.backward(dout, fwd.cache());
        g.gradient("conv", "dx" + suffix, grads.dx(), numericGradient(() -> Conv2d.forward(x, w, b, spec).out(), x, dout, H));
        g.gradient("conv", "dw" + suffix, grads.dw(), numericGradient(() -> Conv2d.forward(x, w, b, spec).out(), w, dout, H));
        g.gradient("conv", "db" + suffix, grads.db(), numericGradient(() -> Conv2d.forward(x, w, b, spec).out(), b, dout, H));
    }

    private static void relu6(Grader g) {
        Tensor x = g.of(new double[] {-2, 0, 0.5, 5.9, 6, 7.5}, 2, 3);
        g.expect("relu6", "forward", ReLU6.forward(x).out(), new double[] {0, 0, 0.5, 5.9, 6, 6});

        // Spread over both kinks (0 and 6) but at least 0.01 away from each, where the difference quotient is exact.
        double[] v = g.randn(4, 5).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = 3 + 3 * v[i];
        }
        Tensor xr = g.of(awayFrom(awayFrom(v, 0), ReLU6.CAP), 4, 5);
        Tensor dout = g.randn(4, 5);
        Tensor dx = ReLU6.backward(dout, ReLU6.forward(xr).cache());
        g.gradient("relu6", "dx", dx, numericGradient(() -> ReLU6.forward(xr).out(), xr, dout, H));
    }

    private static void globalAvgPool(Grader g) {
        // Two channels of a 2x2 image: means (1+2+3+4)/4 = 2.5 and (0-2+4+6)/4 = 2.
        Tensor x = g.of(new double[] {1, 2, 3, 4, 0, -2, 4, 6}, 1, 2, 2, 2);
        g.expect("global_avg_pool", "forward", GlobalAvgPool.forward(x).out(), new double[] {2.5, 2});

        Tensor xr = g.randn(2, 3, 4, 5);
        Tensor dout = g.randn(2, 3);
        Tensor dx = GlobalAvgPool.backward(dout, GlobalAvgPool.forward(xr).cache());
        g.gradient("global_avg_pool", "dx", dx, numericGradient(() -> GlobalAvgPool.forward(xr).out(), xr, dout, H));
    }

    private static void add(Grader g) {
        Tensor a = g.of(new double[] {1, 2, 3}, 1, 3);
        Tensor b = g.of(new double[] {0.5, -2, 10}, 1, 3);
        g.expect("add", "forward", Add.forward(a, b).out(), new double[] {1.5, 0, 13});
        binaryGradients(g, "add", Add::forward, (dout, c) -> {
            Add.Grads grads = Add.backward(dout, (Add.Cache) c);
            return new Tensor[] {grads.da(), grads.db()};
        });
    }

    /** Both gradients of a layer of two same-shaped inputs against numeric ones, on random (2, 3, 2, 2) inputs. */
    private static void binaryGradients(Grader g, String layer, BiFunction<Tensor, Tensor, Forward<?>> forward,
                                        BiFunction<Tensor, Object, Tensor[]> backward) {
        Tensor ar = g.randn(2, 3, 2, 2);
        Tensor br = g.randn(2, 3, 2, 2);
        Tensor dout = g.randn(2, 3, 2, 2);
        Tensor[] grads = backward.apply(dout, forward.apply(ar, br).cache());
        g.gradient(layer, "da", grads[0], numericGradient(() -> forward.apply(ar, br).out(), ar, dout, H));
        g.gradient(layer, "db", grads[1], numericGradient(() -> forward.apply(ar, br).out(), br, dout, H));
    }

    private static void batchNorm(Grader g) {
        // x (N=2, C=2) = [[1, 2], [3, 6]]. Channel 0: mean 2, biased variance ((1-2)^2 + (3-2)^2) / 2 = 1, so
        // xhat = -+1 / sqrt(1 + eps); channel 1: mean 4, variance ((2-4)^2 + (6-4)^2) / 2 = 4, xhat = -+2 / sqrt(4 + eps).
        // gamma = [2, 1], beta = [0.5, 0]: y = gamma * xhat + beta.
        double eps = 1e-5;
        Tensor x = g.of(new double[] {1, 2, 3, 6}, 2, 2);
        Tensor gamma = g.of(new double[] {2, 1}, 2);
        Tensor beta = g.of(new double[] {0.5, 0}, 2);
        double a = 1 / Math.sqrt(1 + eps);
        double b = 2 / Math.sqrt(4 + eps);
        Forward<BatchNorm.Cache> train = BatchNorm.forwardTraining(x, gamma, beta, eps);
        g.expect("batch_norm", "forward_training", train.out(), new double[] {-2 * a + 0.5, -b, 2 * a + 0.5, b});
        g.expect("batch_norm", "batch_statistics", g.of(concat(train.cache().mean(), train.cache().var()), 4),
                new double[] {2, 4, 1, 4});
        // With running mean [1, 0] and variance [4, 1]: y = gamma (x - mean) / sqrt(var + eps) + beta.
        Tensor mean = g.of(new double[] {1, 0}, 2);
        Tensor var = g.of(new double[] {4, 1}, 2);
        double s4 = Math.sqrt(4 + eps);
        double s1 = Math.sqrt(1 + eps);
        g.expect("batch_norm", "forward_inference", BatchNorm.forwardInference(x, gamma, beta, mean, var, eps).out(),
                new double[] {0.5, 2 / s1, 2 * 2 / s4 + 0.5, 6 / s1});

        for (int[] dims : new int[][] {{4, 5}, {2, 3, 4, 5}}) {
            String suffix = dims.length == 2 ? "_1d" : "_2d";
            Tensor xr = g.randn(dims);
            Tensor gr = g.randn(dims[1]);
            Tensor br = g.randn(dims[1]);
            Tensor dout = g.randn(dims);
            BatchNorm.Grads grads = BatchNorm.backward(dout, BatchNorm.forwardTraining(xr, gr, br, eps).cache());
            Supplier<Tensor> f = () -> BatchNorm.forwardTraining(xr, gr, br, eps).out();
            g.gradient("batch_norm", "dx_training" + suffix, grads.dx(), numericGradient(f, xr, dout, H));
            g.gradient("batch_norm", "dgamma_training" + suffix, grads.dgamma(), numericGradient(f, gr, dout, H));
            g.gradient("batch_norm", "dbeta_training" + suffix, grads.dbeta(), numericGradient(f, br, dout, H));

            Tensor mr = g.randn(dims[1]);
            Tensor vr = g.of(positive(g.randn(dims[1]).toDoubleArray()), dims[1]);
            BatchNorm.Grads gi = BatchNorm.backward(dout,
                    BatchNorm.forwardInference(xr, gr, br, mr, vr, eps).cache());
            Supplier<Tensor> fi = () -> BatchNorm.forwardInference(xr, gr, br, mr, vr, eps).out();
            g.gradient("batch_norm", "dx_inference" + suffix, gi.dx(), numericGradient(fi, xr, dout, H));
            g.gradient("batch_norm", "dgamma_inference" + suffix, gi.dgamma(), numericGradient(fi, gr, dout, H));
            g.gradient("batch_norm", "dbeta_inference" + suffix, gi.dbeta(), numericGradient(fi, br, dout, H));
        }
    }

    private static double[] positive(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = 0.5 + v[i] * v[i];
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void dropout(Grader g) {
        // p = 0 keeps everything: the identity.
        Tensor x = g.of(new double[] {1, -2, 3, 4, 5, -6, 7, 8}, 2, 4);
        g.expect("dropout", "forward_p0", Dropout.forward(x, 0, 42).out(), x.toDoubleArray());
        // p = 0.5: each element is either dropped (0) or doubled, as the seed's mask says.
        double[] expected = new double[8];
        for (int i = 0; i < 8; i++) {
            expected[i] = Dropout.keeps(42, i, 0.5) ? 2 * x.getFlat(i) : 0;
        }
        g.expect("dropout", "forward_p0.5", Dropout.forward(x, 0.5, 42).out(), expected);

        Tensor xr = g.randn(3, 4, 5);
        Tensor dout = g.randn(3, 4, 5);
        Tensor dx = Dropout.backward(dout, Dropout.forward(xr, 0.3, 7).cache());
        g.gradient("dropout", "dx", dx, numericGradient(() -> Dropout.forward(xr, 0.3, 7).out(), xr, dout, H));
    }

    private static void avgPool(Grader g) {
        // The 4x4 image 1..16 in 2x2 windows, stride 2: means (1+2+5+6)/4 = 3.5, (3+4+7+8)/4 = 5.5, 11.5, 13.5.
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i + 1;
        }
        g.expect("avg_pool", "forward", AvgPool2d.forward(g.of(v, 1, 1, 4, 4), AvgPool2d.Spec.of(2, 2, 0)).out(),
                new double[] {3.5, 5.5, 11.5, 13.5});
        // [[1, 2], [3, 4]], 2x2 windows, stride 1, padding 1: nine windows. Counting the padded zeros every window
        // divides by 4 (top row 1/4, (1+2)/4, 2/4; ...); without them by the positions inside the image (1/1, 3/2, 2/1, ...).
        Tensor small = g.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        g.expect("avg_pool", "forward_pad_count_include_pad", AvgPool2d.forward(small, AvgPool2d.Spec.of(2, 1, 1)).out(),
                new double[] {0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1});
        g.expect("avg_pool", "forward_pad_exclude_pad", AvgPool2d.forward(small,
                new AvgPool2d.Spec(2, 2, 1, 1, 1, 1, 1, 1, false)).out(), new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4});

        AvgPool2d.Spec[] specs = {AvgPool2d.Spec.of(2, 2, 0), AvgPool2d.Spec.of(3, 2, 1),
            new AvgPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1, false), new AvgPool2d.Spec(3, 2, 1, 2, 0, 1, 2, 0, false)};
        String[] names = {"dx", "dx_3x3_stride2_pad1", "dx_exclude_pad", "dx_asymmetric_pad"};
        for (int i = 0; i < specs.length; i++) {
            AvgPool2d.Spec spec = specs[i];
            Tensor xr = g.randn(2, 3, 7, 6);
            Forward<AvgPool2d.Cache> fwd = AvgPool2d.forward(xr, spec);
            Tensor dout = g.randn(fwd.out().shape().dims());
            Tensor dx = AvgPool2d.backward(dout, fwd.cache());
            g.gradient("avg_pool", names[i], dx, numericGradient(() -> AvgPool2d.forward(xr, spec).out(), xr, dout, H));
        }
    }

    private static void concat(Grader g) {
        // a (1, 1, 2) = [[1, 2]] and b (1, 2, 2) = [[3, 4], [5, 6]] along axis 1: (1, 3, 2) = 1..6.
        Tensor a = g.of(new double[] {1, 2}, 1, 1, 2);
        Tensor b = g.of(new double[] {3, 4, 5, 6}, 1, 2, 2);
        g.expect("concat", "forward", Concat.forward(a, b).out(), new double[] {1, 2, 3, 4, 5, 6});

        Tensor ar = g.randn(2, 3, 2, 2);
        Tensor br = g.randn(2, 1, 2, 2);
        Tensor cr = g.randn(2, 2, 2, 2);
        Tensor dout = g.randn(2, 6, 2, 2);
        Tensor[] grads = Concat.backward(dout, Concat.forward(ar, br, cr).cache());
        Supplier<Tensor> f = () -> Concat.forward(ar, br, cr).out();
        g.gradient("concat", "da", grads[0], numericGradient(f, ar, dout, H));
        g.gradient("concat", "db", grads[1], numericGradient(f, br, dout, H));
        g.gradient("concat", "dc", grads[2], numericGradient(f, cr, dout, H));
    }

    private static void softmax(Grader g) {
        // softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6; a row of 1000s does not overflow: [1000, 1000] -> [0.5, 0.5].
        Tensor x = g.of(new double[] {0, Math.log(2), Math.log(3), 1000, 1000, 1000}, 2, 3);
        g.expect("softmax", "forward", Softmax.forward(x).out(), new double[] {1.0 / 6, 2.0 / 6, 3.0 / 6, 1.0 / 3,
            1.0 / 3, 1.0 / 3});

        Tensor xr = g.randn(4, 5);
        Tensor dout = g.randn(4, 5);
        Tensor dx = Softmax.backward(dout, Softmax.forward(xr).cache());
        g.gradient("softmax", "dx", dx, numericGradient(() -> Softmax.forward(xr).out(), xr, dout, H));
    }

    private static void sigmoid(Grader g) {
        // sigmoid(0) = 1/2; sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4; sigmoid(-ln 3) = 1/4.
        Tensor x = g.of(new double[] {0, Math.log(3), -Math.log(3)}, 1, 3);
        g.expect("sigmoid", "forward", Sigmoid.forward(x).out(), new double[] {0.5, 0.75, 0.25});
        Tensor xr = g.randn(3, 4);
        Tensor dout = g.randn(3, 4);
        Tensor dx = Sigmoid.backward(dout, Sigmoid.forward(xr).cache());
        g.gradient("sigmoid", "dx", dx, numericGradient(() -> Sigmoid.forward(xr).out(), xr, dout, H));
    }

    private static void tanh(Grader g) {
        // tanh(0) = 0; tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6.
        Tensor x = g.of(new double[] {0, Math.log(2), -Math.log(2)}, 1, 3);
        g.expect("tanh", "forward", Tanh.forward(x).out(), new double[] {0, 0.6, -0.6});
        Tensor xr = g.randn(3, 4);
        Tensor dout = g.randn(3, 4);
        Tensor dx = Tanh.backward(dout, Tanh.forward(xr).cache());
        g.gradient("tanh", "dx", dx, numericGradient(() -> Tanh.forward(xr).out(), xr, dout, H));
    }

    private static void maxPool(Grader g) {
        // The 4x4 image 1..16 in 2x2 windows, stride 2: maxima 6, 8, 14, 16.
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i + 1;
        }
        Tensor x = g.of(v, 1, 1, 4, 4);
        g.expect("max_pool", "forward", MaxPool2d.forward(x, MaxPool2d.Spec.TWO_BY_TWO).out(),
                new double[] {6, 8, 14, 16});

        for (MaxPool2d.Spec spec : new MaxPool2d.Spec[] {MaxPool2d.Spec.TWO_BY_TWO, new MaxPool2d.Spec(3, 3, 2)}) {
            String what = spec.equals(MaxPool2d.Spec.TWO_BY_TWO) ? "dx" : "dx_3x3_stride2";
            maxPoolGradient(g, what, spec);
        }
    }

    private static void maxPoolPadded(Grader g) {
        // Padding never wins: the image -1..-9 ([[-1,-2,-3],[-4,-5,-6],[-7,-8,-9]]) in 2x2 windows, stride 2,
        // padded by 1 on every side. The windows hold {-1}, {-2,-3}, {-4,-7} and {-5,-6,-8,-9}, whose maxima
        // are -1, -2, -4, -5; zeros in the padding would have given 0 for all four.
        double[] neg = new double[9];
        for (int i = 0; i < 9; i++) {
            neg[i] = -(i + 1);
        }
        g.expect("max_pool", "forward_pad", MaxPool2d.forward(g.of(neg, 1, 1, 3, 3),
                new MaxPool2d.Spec(2, 2, 2, 2, 1, 1, 1, 1)).out(), new double[] {-1, -2, -4, -5});
        // ResNet's stem pooling (3x3, stride 2, padding 1), and unequal strides with asymmetric padding.
        maxPoolGradient(g, "dx_3x3_stride2_pad1", new MaxPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1));
        maxPoolGradient(g, "dx_asymmetric_pad", new MaxPool2d.Spec(3, 2, 2, 1, 1, 0, 2, 1));
    }

    private static void maxPoolGradient(Grader g, String what, MaxPool2d.Spec spec) {
        Tensor xr = g.randn(2, 3, 7, 7);
        Forward<MaxPool2d.Cache> fwd = MaxPool2d.forward(xr, spec);
        Tensor dout = g.randn(fwd.out().shape().dims());
        Tensor dx = MaxPool2d.backward(dout, fwd.cache());
        g.gradient("max_pool", what, dx, numericGradient(() -> MaxPool2d.forward(xr, spec).out(), xr, dout, H));
    }

    private static void leakyRelu(Grader g) {
        // alpha 0.1: negatives scaled by 0.1 (-2 -> -0.2, -0.5 -> -0.05), 0 stays 0, positives pass.
        Tensor x = g.of(new double[] {-2, -0.5, 0, 0.5, 3}, 1, 5);
        g.expect("leaky_relu", "forward", LeakyReLU.forward(x, 0.1).out(), new double[] {-0.2, -0.05, 0, 0.5, 3});
        Tensor xr = g.of(awayFrom(g.randn(4, 5).toDoubleArray(), 0), 4, 5);
        Tensor dout = g.randn(4, 5);
        Tensor dx = LeakyReLU.backward(dout, LeakyReLU.forward(xr, 0.1).cache());
        g.gradient("leaky_relu", "dx", dx, numericGradient(() -> LeakyReLU.forward(xr, 0.1).out(), xr, dout, H));
    }

    private static void clip(Grader g) {
        // [-1, 2]: -3 -> -1, -1 stays, 0.5 stays, 2 stays, 4 -> 2.
        Tensor x = g.of(new double[] {-3, -1, 0.5, 2, 4}, 1, 5);
        g.expect("clip", "forward", Clip.forward(x, -1, 2).out(), new double[] {-1, -1, 0.5, 2, 2});
        double[] v = g.randn(4, 5).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5 + 1.5 * v[i]; // spread over both bounds
        }
        Tensor xr = g.of(awayFrom(awayFrom(v, -1), 2), 4, 5);
        Tensor dout = g.randn(4, 5);
        Tensor dx = Clip.backward(dout, Clip.forward(xr, -1, 2).cache());
        g.gradient("clip", "dx", dx, numericGradient(() -> Clip.forward(xr, -1, 2).out(), xr, dout, H));
    }

    /** The values moved at least 0.01 away from {@code kink}, where a difference quotient across it is meaningless. */
    private static double[] awayFrom(double[] v, double kink) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            if (Math.abs(out[i] - kink) < 0.01) {
                out[i] = kink + Math.copySign(0.01, out[i] - kink);
            }
        }
        return out;
    }

    private static void channelAffine(Grader g) {
        // x (1, 2, 1, 2): channel 0 = [1, 2] times 2 plus 0.5 = [2.5, 4.5]; channel 1 = [3, 4] times -1 plus 1 = [-2, -3].
        Tensor x = g.of(new double[] {1, 2, 3, 4}, 1, 2, 1, 2);
        Tensor scale = g.of(new double[] {2, -1}, 2);
        Tensor shift = g.of(new double[] {0.5, 1}, 2);
        g.expect("channel_affine", "forward", ChannelAffine.forward(x, scale, shift).out(),
                new double[] {2.5, 4.5, -2, -3});
        for (int[] dims : new int[][] {{4, 3}, {2, 3, 4, 5}}) {
            Tensor xr = g.randn(dims);
            Tensor sr = g.randn(3);
            Tensor tr = g.randn(3);
            Tensor dout = g.randn(dims);
            Tensor dx = ChannelAffine.backward(dout, ChannelAffine.forward(xr, sr, tr).cache());
            g.gradient("channel_affine", "dx_" + dims.length + "d", dx,
                    numericGradient(() -> ChannelAffine.forward(xr, sr, tr).out(), xr, dout, H));
        }
    }

    private static void mul(Grader g) {
        // [1, 2, 3] * [0.5, -2, 10] = [0.5, -4, 30].
        Tensor a = g.of(new double[] {1, 2, 3}, 1, 3);
        Tensor b = g.of(new double[] {0.5, -2, 10}, 1, 3);
        g.expect("mul", "forward", Mul.forward(a, b).out(), new double[] {0.5, -4, 30});
        binaryGradients(g, "mul", Mul::forward, (dout, c) -> {
            Mul.Grads grads = Mul.backward(dout, (Mul.Cache) c);
            return new Tensor[] {grads.da(), grads.db()};
        });
    }

    private static void sub(Grader g) {
        // [1, 2, 3] - [0.5, -2, 10] = [0.5, 4, -7].
        Tensor a = g.of(new double[] {1, 2, 3}, 1, 3);
        Tensor b = g.of(new double[] {0.5, -2, 10}, 1, 3);
        g.expect("sub", "forward", Sub.forward(a, b).out(), new double[] {0.5, 4, -7});
        binaryGradients(g, "sub", Sub::forward, (dout, c) -> {
            Sub.Grads grads = Sub.backward(dout, (Sub.Cache) c);
            return new Tensor[] {grads.da(), grads.db()};
        });
    }

    private static void pad(Grader g) {
        // [[1, 2], [3, 4]] with one row of zeros on top and two columns on the right:
        // [[0, 0, 0, 0], [1, 2, 0, 0], [3, 4, 0, 0]].
        Tensor x = g.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        g.expect("pad", "forward", Pad.forward(x, new Pad.Spec(1, 0, 0, 2)).out(),
                new double[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0});
        Pad.Spec[] specs = {new Pad.Spec(1, 2, 3, 0), new Pad.Spec(0, 1, 0, 1), new Pad.Spec(2, 0, 1, 0)};
        String[] names = {"dx", "dx_columns_only", "dx_rows_only"};
        for (int i = 0; i < specs.length; i++) {
            Pad.Spec spec = specs[i];
            Tensor xr = g.randn(2, 3, 4, 5);
            Forward<Pad.Cache> fwd = Pad.forward(xr, spec);
            Tensor dout = g.randn(fwd.out().shape().dims());
            g.gradient("pad", names[i], Pad.backward(dout, fwd.cache()),
                    numericGradient(() -> Pad.forward(xr, spec).out(), xr, dout, H));
        }
    }

    private static void softmaxLoss(Grader g) {
        // Equal scores over 3 classes: every probability is 1/3, so the loss is log 3 and
        // dscores = p - onehot(1) = [1/3, -2/3, 1/3].
        SoftmaxLoss.Result r = SoftmaxLoss.forwardBackward(g.of(new double[] {0, 0, 0}, 1, 3), new int[] {1});
        g.scalar("softmax_loss", "forward", r.loss(), Math.log(3));
        g.expect("softmax_loss", "dscores_worked", r.dscores(), new double[] {1.0 / 3, -2.0 / 3, 1.0 / 3});
        // Large scores must not overflow: softmax([1000, 0]) = [1, e^-1000], so the loss of class 1 is 1000
        // and of class 0 is log(1 + e^-1000) = 0; averaged over the two rows, 500.
        SoftmaxLoss.Result big = SoftmaxLoss.forwardBackward(g.of(new double[] {1000, 0, 1000, 0}, 2, 2),
                new int[] {1, 0});
        g.scalar("softmax_loss", "forward_large_scores", big.loss(), 500);

        Tensor scores = g.randn(6, 5);
        int[] labels = new int[6];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = g.rng.nextInt(5);
        }
        Tensor dscores = SoftmaxLoss.forwardBackward(scores, labels).dscores();
        g.gradient("softmax_loss", "dscores", dscores,
                numericGradient(() -> SoftmaxLoss.forwardBackward(scores, labels).loss(), scores, H));
    }

    private static void rnnStep(Grader g) {
        // x Wx = [1*0.1 + 2*0.3, 1*0.2 + 2*0.4] = [0.7, 1.0]; prev_h Wh = [0.5*1, -1*-1] = [0.5, 1];
        // + b = [0.7 + 0.5 - 0.2, 1.0 + 1 + 0] = [1, 2], so next_h = [tanh 1, tanh 2].
        Tensor x = g.of(new double[] {1, 2}, 1, 2);
        Tensor h = g.of(new double[] {0.5, -1}, 1, 2);
        Tensor wx = g.of(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 2);
        Tensor wh = g.of(new double[] {1, 0, 0, -1}, 2, 2);
        Tensor b = g.of(new double[] {-0.2, 0}, 2);
        g.expect("rnn_step", "forward", RnnStep.forward(x, h, wx, wh, b).out(),
                new double[] {Math.tanh(1), Math.tanh(2)});

        Tensor xr = g.randn(3, 4);
        Tensor hr = g.randn(3, 5);
        Tensor wxr = g.randn(4, 5);
        Tensor whr = g.randn(5, 5);
        Tensor br = g.randn(5);
        Tensor dout = g.randn(3, 5);
        RnnStep.Grads grads = RnnStep.backward(dout, RnnStep.forward(xr, hr, wxr, whr, br).cache());
        Supplier<Tensor> f = () -> RnnStep.forward(xr, hr, wxr, whr, br).out();
        g.recurrentGradients("rnn_step", "dprev_h", f, dout, grads.dx(), grads.dprevH(), grads.dwx(), grads.dwh(),
                grads.db(), xr, hr, wxr, whr, br);
    }

    private static void rnn(Grader g) {
        // D = H = 1, Wx = 1, Wh = 2, b = 0, h0 = 0, x = [0.5, 0]:
        // h1 = tanh(0.5 + 2*0) = tanh 0.5; h2 = tanh(0 + 2 tanh 0.5).
        Tensor x = g.of(new double[] {0.5, 0}, 1, 2, 1);
        Tensor h0 = g.of(new double[] {0}, 1, 1);
        Tensor wx = g.of(new double[] {1}, 1, 1);
        Tensor wh = g.of(new double[] {2}, 1, 1);
        Tensor b = g.of(new double[] {0}, 1);
        g.expect("rnn", "forward", Rnn.forward(x, h0, wx, wh, b).out(),
                new double[] {Math.tanh(0.5), Math.tanh(2 * Math.tanh(0.5))});

        Tensor xr = g.randn(2, 3, 4);
        Tensor hr = g.randn(2, 5);
        Tensor wxr = g.randn(4, 5);
        Tensor whr = g.randn(5, 5);
        Tensor br = g.randn(5);
        Tensor dout = g.randn(2, 3, 5);
        Rnn.Grads grads = Rnn.backward(dout, Rnn.forward(xr, hr, wxr, whr, br).cache());
        Supplier<Tensor> f = () -> Rnn.forward(xr, hr, wxr, whr, br).out();
        g.recurrentGradients("rnn", "dh0", f, dout, grads.dx(), grads.dh0(), grads.dwx(), grads.dwh(),
                grads.db(), xr, hr, wxr, whr, br);
    }

    private static void temporalAffine(Grader g) {
        // x[0, 0] = [1, 2], x[0, 1] = [3, 4], W = [1, 2]^T, b = 0.5: 1 + 4 + 0.5 = 5.5, 3 + 8 + 0.5 = 11.5.
        Tensor x = g.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
        Tensor w = g.of(new double[] {1, 2}, 2, 1);
        Tensor b = g.of(new double[] {0.5}, 1);
        g.expect("temporal_affine", "forward", TemporalAffine.forward(x, w, b).out(), new double[] {5.5, 11.5});

        Tensor xr = g.randn(2, 3, 4);
        Tensor wr = g.randn(4, 5);
        Tensor br = g.randn(5);
        Tensor dout = g.randn(2, 3, 5);
        Affine.Grads grads = TemporalAffine.backward(dout, TemporalAffine.forward(xr, wr, br).cache());
        Supplier<Tensor> f = () -> TemporalAffine.forward(xr, wr, br).out();
        g.gradient("temporal_affine", "dx", grads.dx(), numericGradient(f, xr, dout, H));
        g.gradient("temporal_affine", "dw", grads.dw(), numericGradient(f, wr, dout, H));
        g.gradient("temporal_affine", "db", grads.db(), numericGradient(f, br, dout, H));
    }

    private static void wordEmbedding(Grader g) {
        // W = [[0, 1], [2, 3], [4, 5]], ids [2, 0, 2] -> rows [4, 5], [0, 1], [4, 5].
        Tensor w = g.of(new double[] {0, 1, 2, 3, 4, 5}, 3, 2);
        int[][] ids = {{2, 0, 2}};
        Forward<WordEmbedding.Cache> fwd = WordEmbedding.forward(ids, w);
        g.expect("word_embedding", "forward", fwd.out(), new double[] {4, 5, 0, 1, 4, 5});
        // An upstream gradient of ones: word 2 is used twice, so its row gets 2; word 1 is unused, 0.
        Tensor ones = g.of(new double[] {1, 1, 1, 1, 1, 1}, 1, 3, 2);
        g.expect("word_embedding", "dw_repeated_ids", WordEmbedding.backward(ones, fwd.cache()),
                new double[] {1, 1, 0, 0, 2, 2});

        Tensor wr = g.randn(5, 3);
        int[][] idr = {{0, 3, 3, 1}, {4, 0, 3, 2}};
        Tensor dout = g.randn(2, 4, 3);
        Tensor dw = WordEmbedding.backward(dout, WordEmbedding.forward(idr, wr).cache());
        g.gradient("word_embedding", "dw", dw, numericGradient(() -> WordEmbedding.forward(idr, wr).out(), wr, dout,
                H));
    }

    private static void temporalSoftmaxLoss(Grader g) {
        // N = 2, T = 2, V = 3, all scores 0 so every probability is 1/3; three positions unmasked:
        // loss = 3 log 3 / N = 1.5 log 3. dscores = (1/3 - onehot) / 2 where unmasked, 0 at the masked one.
        int[][] y = {{0, 1}, {2, 0}};
        boolean[][] mask = {{true, true}, {true, false}};
        SoftmaxLoss.Result r = TemporalSoftmaxLoss.forwardBackward(g.of(new double[12], 2, 2, 3), y, mask);
        g.scalar("temporal_softmax_loss", "forward", r.loss(), 1.5 * Math.log(3));
        double a = 1.0 / 6;
        double c = -1.0 / 3;
        g.expect("temporal_softmax_loss", "dscores_worked", r.dscores(), new double[] {c, a, a, a, c, a, a, a, c,
            0, 0, 0});

        Tensor scores = g.randn(3, 4, 5);
        int[][] yr = new int[3][4];
        boolean[][] mr = new boolean[3][4];
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 4; t++) {
                yr[i][t] = g.rng.nextInt(5);
                mr[i][t] = t < 2 + i; // ragged lengths 2, 3, 4 as padded captions have
            }
        }
        Tensor ds = TemporalSoftmaxLoss.forwardBackward(scores, yr, mr).dscores();
        g.gradient("temporal_softmax_loss", "dscores", ds,
                numericGradient(() -> TemporalSoftmaxLoss.forwardBackward(scores, yr, mr).loss(), scores, H));
    }

    private static void lstmStep(Grader g) {
        // D = H = 1, all weights 0, b = [0, 0, 0, 1]: i = f = o = sigmoid(0) = 0.5, g = tanh 1.
        // With prev_c = 2: next_c = 0.5*2 + 0.5 tanh 1 = 1 + 0.5 tanh 1, next_h = 0.5 tanh(next_c).
        Tensor x = g.of(new double[] {3}, 1, 1);
        Tensor h = g.of(new double[] {-1}, 1, 1);
        Tensor c = g.of(new double[] {2}, 1, 1);
        Tensor zeros = g.of(new double[] {0, 0, 0, 0}, 1, 4);
        Tensor b = g.of(new double[] {0, 0, 0, 1}, 4);
        LstmStep.Result r = LstmStep.forward(x, h, c, zeros, zeros, b);
        double nextC = 1 + 0.5 * Math.tanh(1);
        g.expect("lstm_step", "forward_c", r.nextC(), new double[] {nextC});
        g.expect("lstm_step", "forward_h", r.nextH(), new double[] {0.5 * Math.tanh(nextC)});

        Tensor xr = g.randn(3, 4);
        Tensor hr = g.randn(3, 5);
        Tensor cr = g.randn(3, 5);
        // Small weights keep the gates out of saturation, where gradients are tiny and their relative error noisy.
        Tensor wxr = g.scaled(0.3, 4, 20);
        Tensor whr = g.scaled(0.3, 5, 20);
        Tensor br = g.randn(20);
        Tensor dh = g.randn(3, 5);
        Tensor dc = g.randn(3, 5);
        LstmStep.Grads grads = LstmStep.backward(dh, dc, LstmStep.forward(xr, hr, cr, wxr, whr, br).cache());
        // The scalar whose gradient backward returns: sum(next_h * dh) + sum(next_c * dc).
        DoubleSupplier f = () -> {
            LstmStep.Result s = LstmStep.forward(xr, hr, cr, wxr, whr, br);
            return dot(s.nextH(), dh) + dot(s.nextC(), dc);
        };
        g.gradient("lstm_step", "dx", grads.dx(), numericGradient(f, xr, H));
        g.gradient("lstm_step", "dprev_h", grads.dprevH(), numericGradient(f, hr, H));
        g.gradient("lstm_step", "dprev_c", grads.dprevC(), numericGradient(f, cr, H));
        g.gradient("lstm_step", "dwx", grads.dwx(), numericGradient(f, wxr, H));
        g.gradient("lstm_step", "dwh", grads.dwh(), numericGradient(f, whr, H));
        g.gradient("lstm_step", "db", grads.db(), numericGradient(f, br, H));
    }

    private static void lstm(Grader g) {
        // D = H = 1, all weights 0, b = [0, 0, 0, 1], h0 = c0 = 0: the gates are 0.5 and g = tanh 1 at every step.
        // c1 = 0.5*0 + 0.5 tanh 1, h1 = 0.5 tanh(c1); c2 = 0.5 c1 + 0.5 tanh 1 = 0.75 tanh 1, h2 = 0.5 tanh(c2).
        Tensor x = g.of(new double[] {1, -2}, 1, 2, 1);
        Tensor h0 = g.of(new double[] {0}, 1, 1);
        Tensor zeros = g.of(new double[] {0, 0, 0, 0}, 1, 4);
        Tensor b = g.of(new double[] {0, 0, 0, 1}, 4);
        g.expect("lstm", "forward", Lstm.forward(x, h0, zeros, zeros, b).out(),
                new double[] {0.5 * Math.tanh(0.5 * Math.tanh(1)), 0.5 * Math.tanh(0.75 * Math.tanh(1))});

        Tensor xr = g.randn(2, 3, 4);
        Tensor hr = g.randn(2, 5);
        // Small weights keep the gates out of saturation, where gradients are tiny and their relative error noisy.
        Tensor wxr = g.scaled(0.3, 4, 20);
        Tensor whr = g.scaled(0.3, 5, 20);
        Tensor br = g.randn(20);
        Tensor dout = g.randn(2, 3, 5);
        Rnn.Grads grads = Lstm.backward(dout, Lstm.forward(xr, hr, wxr, whr, br).cache());
        Supplier<Tensor> f = () -> Lstm.forward(xr, hr, wxr, whr, br).out();
        g.recurrentGradients("lstm", "dh0", f, dout, grads.dx(), grads.dh0(), grads.dwx(), grads.dwh(),
                grads.db(), xr, hr, wxr, whr, br);
    }

    private static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Collects results for one backend; seeded so every run checks the same numbers. */
    private static final class Grader {
        final Backend backend;
        final List<Result> out;
        final Random rng;

        Grader(Backend backend, List<Result> out) {
            this(backend, out, 231);
        }

        private Grader(Backend backend, List<Result> out, long seed) {
            this.backend = backend;
            this.out = out;
            this.rng = new Random(seed);
        }

        /** A grader on its own random stream, so adding checks leaves the numbers of the others unchanged. */
        Grader seeded(long seed) {
            return new Grader(backend, out, seed);
        }

        Tensor of(double[] values, int... dims) {
            return Tensors.of(backend, F64, values, dims);
        }

        Tensor randn(int... dims) {
            return scaled(1.0, dims);
        }

        Tensor scaled(double scale, int... dims) {
            return Tensors.randn(backend, F64, rng, scale, dims);
        }

        void expect(String layer, String what, Tensor actual, double[] expected) {
            out.add(new Result(layer, what, GradientCheck.relError(actual.toDoubleArray(), expected)));
        }

        void scalar(String layer, String what, double actual, double expected) {
            out.add(new Result(layer, what, GradientCheck.relError(new double[] {actual}, new double[] {expected})));
        }

        void gradient(String layer, String what, Tensor analytic, double[] numeric) {
            out.add(new Result(layer, what, GradientCheck.relError(analytic.toDoubleArray(), numeric)));
        }

        /** Checks the five gradients of a recurrent layer of (x, h, Wx, Wh, b), in that order. */
        void recurrentGradients(String layer, String hName, Supplier<Tensor> f, Tensor dout, Tensor dx, Tensor dh,
                                Tensor dwx, Tensor dwh, Tensor db, Tensor... inputs) {
            String[] names = {"dx", hName, "dwx", "dwh", "db"};
            Tensor[] analytic = {dx, dh, dwx, dwh, db};
            for (int i = 0; i < names.length; i++) {
                gradient(layer, names[i], analytic[i], numericGradient(f, inputs[i], dout, H));
            }
        }

        void guard(String layer, Runnable checks) {
            try {
                checks.run();
            } catch (RuntimeException e) {
                out.add(new Result(layer, "threw " + e, Double.NaN));
            }
        }
    }
}
