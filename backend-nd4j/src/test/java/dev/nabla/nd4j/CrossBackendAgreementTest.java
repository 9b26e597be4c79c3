package dev.nabla.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
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
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same seeded inputs through the plain-Java reference backend and the ND4J backend agree, for
 * every layer, forward and backward, in both dtypes.
 *
 * <p>Agreement is measured as {@code max|nd4j - cpu| / max|cpu|} over a whole output: relative to
 * the size of the values, so that an entry which cancels to nearly 0 in a sum does not count as a
 * large relative error. Bounds: 1e-10 in FLOAT64, 1e-4 in FLOAT32.
 */
class CrossBackendAgreementTest {
    private Backend cpu;
    private Backend nd4j;
    private Random rng;

    @BeforeEach
    void backends() {
        nd4j = Nd4jTestBackends.nd4j();
        cpu = Backends.get("cpu");
        rng = new Random(42);
    }

    /** One array of values, made into a tensor on each backend. */
    private final class Pair {
        final Tensor onCpu;
        final Tensor onNd4j;

        Pair(DType dtype, double[] values, int... dims) {
            onCpu = cpu.fromArray(values, dtype, Shape.of(dims));
            onNd4j = nd4j.fromArray(values, dtype, Shape.of(dims));
        }

        Tensor on(Backend be) {
            return be == nd4j ? onNd4j : onCpu;
        }
    }

    private Pair randn(DType dtype, double scale, int... dims) {
        double[] v = new double[Shape.of(dims).intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return new Pair(dtype, v, dims);
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-10 : 1e-4;
    }

    /** Runs {@code f} on the cpu and on the nd4j backend and compares the results. */
    private void agree(String what, DType dtype, Function<Backend, Tensor> f) {
        Tensor expected = f.apply(cpu);
        Tensor actual = f.apply(nd4j);
        assertEquals(expected.shape(), actual.shape(), what + ": shapes");
        assertEquals(dtype, actual.dtype(), what + ": dtype");
        double err = scaledError(actual.toDoubleArray(), expected.toDoubleArray());
        assertTrue(err < tolerance(dtype), what + " " + dtype + ": nd4j differs from cpu by " + err);
    }

    private static double scaledError(double[] actual, double[] expected) {
        double scale = IntStream.range(0, expected.length).mapToDouble(i -> Math.abs(expected[i])).max().orElse(0);
        double diff = IntStream.range(0, expected.length).mapToDouble(i -> Math.abs(actual[i] - expected[i]))
                .max().orElse(0);
        return diff == 0 ? 0 : diff / scale;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void affine(DType dt) {
        Pair x = randn(dt, 1, 6, 4, 5);
        Pair w = randn(dt, 0.5, 20, 7);
        Pair b = randn(dt, 1, 7);
        Pair dout = randn(dt, 1, 6, 7);
        Function<Backend, Affine.Grads> grads = n -> Affine.backward(dout.on(n),
                Affine.forward(x.on(n), w.on(n), b.on(n)).cache());
        agree("affine out", dt, n -> Affine.forward(x.on(n), w.on(n), b.on(n)).out());
        agree("affine dx", dt, n -> grads.apply(n).dx());
        agree("affine dw", dt, n -> grads.apply(n).dw());
        agree("affine db", dt, n -> grads.apply(n).db());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormInBothModesAndBothRanks(DType dt) {
        for (int[] dims : new int[][] {{6, 5}, {3, 4, 5, 6}}) {
            Pair x = randn(dt, 2, dims);
            Pair gamma = randn(dt, 1, dims[1]);
            Pair beta = randn(dt, 1, dims[1]);
            Pair mean = randn(dt, 1, dims[1]);
            Pair var = new Pair(dt, IntStream.range(0, dims[1]).mapToDouble(i -> 0.5 + i).toArray(), dims[1]);
            Pair dout = randn(dt, 1, dims);
            Function<Backend, Forward<BatchNorm.Cache>> train = n -> BatchNorm.forwardTraining(x.on(n), gamma.on(n),
                    beta.on(n), 1e-5);
            Function<Backend, Forward<BatchNorm.Cache>> infer = n -> BatchNorm.forwardInference(x.on(n), gamma.on(n),
                    beta.on(n), mean.on(n), var.on(n), 1e-5);
            for (var mode : java.util.List.of(train, infer)) {
                String what = "batch norm " + (mode == train ? "training " : "inference ") + dims.length + "-d ";
                Function<Backend, BatchNorm.Grads> grads = n -> BatchNorm.backward(dout.on(n), mode.apply(n).cache());
                agree(what + "out", dt, n -> mode.apply(n).out());
                agree(what + "dx", dt, n -> grads.apply(n).dx());
                agree(what + "dgamma", dt, n -> grads.apply(n).dgamma());
                agree(what + "dbeta", dt, n -> grads.apply(n).dbeta());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void avgPoolInEverySpec(DType dt) {
        AvgPool2d.Spec[] specs = {AvgPool2d.Spec.of(2, 2, 0), AvgPool2d.Spec.of(3, 1, 1), AvgPool2d.Spec.of(3, 2, 1),
            new AvgPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1, false), new AvgPool2d.Spec(3, 2, 1, 2, 0, 1, 2, 0, false),
            new AvgPool2d.Spec(2, 3, 2, 1, 1, 0, 0, 2, true)};
        for (AvgPool2d.Spec spec : specs) {
            Pair x = randn(dt, 1, 2, 3, 9, 8);
            Function<Backend, Forward<AvgPool2d.Cache>> fwd = n -> AvgPool2d.forward(x.on(n), spec);
            Pair dout = randn(dt, 1, fwd.apply(cpu).out().shape().dims());
            agree("avg pool out " + spec, dt, n -> fwd.apply(n).out());
            agree("avg pool dx " + spec, dt, n -> AvgPool2d.backward(dout.on(n), fwd.apply(n).cache()));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void dropoutConcatSoftmaxSigmoidAndTanh(DType dt) {
        Pair x = randn(dt, 2, 4, 5);
        Pair y = randn(dt, 1, 4, 3);
        Pair dout = randn(dt, 1, 4, 5);
        Pair dcat = randn(dt, 1, 4, 8);
        agree("dropout out", dt, n -> Dropout.forward(x.on(n), 0.4, 9).out());
        agree("dropout dx", dt, n -> Dropout.backward(dout.on(n), Dropout.forward(x.on(n), 0.4, 9).cache()));
        agree("concat out", dt, n -> Concat.forward(x.on(n), y.on(n)).out());
        agree("concat db", dt, n -> Concat.backward(dcat.on(n), Concat.forward(x.on(n), y.on(n)).cache())[1]);
        agree("softmax out", dt, n -> Softmax.forward(x.on(n)).out());
        agree("softmax dx", dt, n -> Softmax.backward(dout.on(n), Softmax.forward(x.on(n)).cache()));
        agree("sigmoid dx", dt, n -> Sigmoid.backward(dout.on(n), Sigmoid.forward(x.on(n)).cache()));
        agree("tanh dx", dt, n -> Tanh.backward(dout.on(n), Tanh.forward(x.on(n)).cache()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void theLayersOfImportedNetworks(DType dt) {
        Pair x = randn(dt, 2, 2, 3, 5, 4);
        Pair y = randn(dt, 1, 2, 3, 5, 4);
        Pair dout = randn(dt, 1, 2, 3, 5, 4);
        Pair scale = randn(dt, 1, 3);
        Pair shift = randn(dt, 1, 3);
        agree("leaky relu out", dt, n -> LeakyReLU.forward(x.on(n), 0.2).out());
        agree("leaky relu dx", dt, n -> LeakyReLU.backward(dout.on(n), LeakyReLU.forward(x.on(n), 0.2).cache()));
        agree("clip out", dt, n -> Clip.forward(x.on(n), -0.5, 1.5).out());
        agree("clip dx", dt, n -> Clip.backward(dout.on(n), Clip.forward(x.on(n), -0.5, 1.5).cache()));
        agree("channel affine out", dt, n -> ChannelAffine.forward(x.on(n), scale.on(n), shift.on(n)).out());
        agree("channel affine dx", dt, n -> ChannelAffine.backward(dout.on(n),
                ChannelAffine.forward(x.on(n), scale.on(n), shift.on(n)).cache()));
        agree("mul out", dt, n -> Mul.forward(x.on(n), y.on(n)).out());
        agree("mul db", dt, n -> Mul.backward(dout.on(n), Mul.forward(x.on(n), y.on(n)).cache()).db());
        agree("sub out", dt, n -> Sub.forward(x.on(n), y.on(n)).out());
        agree("sub db", dt, n -> Sub.backward(dout.on(n), Sub.forward(x.on(n), y.on(n)).cache()).db());
        for (Pad.Spec spec : new Pad.Spec[] {new Pad.Spec(1, 2, 0, 3), new Pad.Spec(0, 1, 0, 1), new Pad.Spec(2, 0, 1, 0)}) {
            Pair dpad = randn(dt, 1, spec.apply(x.onCpu.shape()).dims());
            agree("pad out " + spec, dt, n -> Pad.forward(x.on(n), spec).out());
            agree("pad dx " + spec, dt, n -> Pad.backward(dpad.on(n), Pad.forward(x.on(n), spec).cache()));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void relu(DType dt) {
        Pair x = randn(dt, 1, 3, 4, 5, 6);
        Pair dout = randn(dt, 1, 3, 4, 5, 6);
        agree("relu out", dt, n -> ReLU.forward(x.on(n)).out());
        agree("relu dx", dt, n -> ReLU.backward(dout.on(n), ReLU.forward(x.on(n)).cache()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void convInEverySpec(DType dt) {
        Conv2d.Spec[] specs = {Conv2d.Spec.VALID, Conv2d.Spec.of(1, 1), Conv2d.Spec.of(2, 1),
            new Conv2d.Spec(2, 2, 1, 0, 2, 1), new Conv2d.Spec(1, 2, 0, 2, 1, 0), new Conv2d.Spec(3, 1, 2, 2, 2, 2)};
        for (Conv2d.Spec spec : specs) {
            convAgrees(dt, spec, randn(dt, 1, 3, 4, 11, 10), randn(dt, 0.5, 5, 4, 3, 4), randn(dt, 1, 5));
            // Many input channels: libnd4j's conv2d_bp rather than the im2col + GEMM route.
            convAgrees(dt, spec, randn(dt, 1, 2, 12, 7, 6), randn(dt, 0.3, 3, 12, 3, 2), randn(dt, 1, 3));
        }
        // 1x1 filters: one matrix product per image (stride 1, no padding), libnd4j otherwise.
        for (Conv2d.Spec spec : new Conv2d.Spec[] {Conv2d.Spec.VALID, Conv2d.Spec.of(2, 0), Conv2d.Spec.of(1, 1)}) {
            convAgrees(dt, spec, randn(dt, 1, 3, 6, 5, 7), randn(dt, 0.5, 4, 6, 1, 1), randn(dt, 1, 4));
        }
    }

    /** Output and the three gradients of one convolution agree. */
    private void convAgrees(DType dt, Conv2d.Spec spec, Pair x, Pair w, Pair b) {
        Function<Backend, Forward<Conv2d.Cache>> fwd = n -> Conv2d.forward(x.on(n), w.on(n), b.on(n), spec);
        Pair dout = randn(dt, 1, fwd.apply(cpu).out().shape().dims());
        Function<Backend, Conv2d.Grads> grads = n -> Conv2d.backward(dout.on(n), fwd.apply(n).cache());
        agree("conv out " + spec, dt, n -> fwd.apply(n).out());
        agree("conv dx " + spec, dt, n -> grads.apply(n).dx());
        agree("conv dw " + spec, dt, n -> grads.apply(n).dw());
        agree("conv db " + spec, dt, n -> grads.apply(n).db());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void relu6AddAndGlobalAvgPool(DType dt) {
        Pair x = randn(dt, 4, 2, 3, 5, 4); // spread past both kinks of ReLU6
        Pair y = randn(dt, 1, 2, 3, 5, 4);
        Pair dout = randn(dt, 1, 2, 3, 5, 4);
        Pair dpool = randn(dt, 1, 2, 3);
        agree("relu6 out", dt, n -> ReLU6.forward(x.on(n)).out());
        agree("relu6 dx", dt, n -> ReLU6.backward(dout.on(n), ReLU6.forward(x.on(n)).cache()));
        agree("add out", dt, n -> Add.forward(x.on(n), y.on(n)).out());
        agree("add da", dt, n -> Add.backward(dout.on(n), Add.forward(x.on(n), y.on(n)).cache()).da());
        agree("pool out", dt, n -> GlobalAvgPool.forward(x.on(n)).out());
        agree("pool dx", dt, n -> GlobalAvgPool.backward(dpool.on(n), GlobalAvgPool.forward(x.on(n)).cache()));
    }

    /**
     * The backend's own depthwise kernel (per-tap strided views, the spread-grid dX at stride 1, the
     * scatter dX at larger strides) in strides, asymmetric paddings and filter shapes MobileNetV2 does not
     * use, including strides that leave input rows unread and a 1x1 filter.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void depthwiseInEverySpec(DType dt) {
        Conv2d.Spec[] specs = {Conv2d.Spec.of(2, 0), Conv2d.Spec.of(3, 2), new Conv2d.Spec(2, 1, 1, 0, 0, 2),
            new Conv2d.Spec(1, 3, 0, 1, 2, 0), new Conv2d.Spec(2, 2, 1, 1, 1, 1)};
        int[][] filters = {{3, 3}, {2, 3}, {1, 1}};
        for (Conv2d.Spec base : specs) {
            for (int[] k : filters) {
                convAgrees(dt, base.withGroups(3), randn(dt, 1, 2, 3, 10, 9), randn(dt, 0.5, 3, 1, k[0], k[1]),
                        randn(dt, 1, 3));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void groupedAndDepthwiseConv(DType dt) {
        // {groups, filters}: depthwise (groups = C = F, the backend's Depthwise) and two groups of two channels.
        int[][] cases = {{4, 4}, {2, 6}};
        Conv2d.Spec[] specs = {Conv2d.Spec.of(1, 1), new Conv2d.Spec(2, 2, 0, 0, 1, 1)};
        for (int[] c : cases) {
            for (Conv2d.Spec base : specs) {
                Conv2d.Spec spec = base.withGroups(c[0]);
                convAgrees(dt, spec, randn(dt, 1, 2, 4, 9, 8), randn(dt, 0.5, c[1], 4 / c[0], 3, 3),
                        randn(dt, 1, c[1]));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolInEverySpec(DType dt) {
        for (MaxPool2d.Spec spec : new MaxPool2d.Spec[] {MaxPool2d.Spec.TWO_BY_TWO, new MaxPool2d.Spec(3, 3, 2),
            new MaxPool2d.Spec(2, 3, 1), new MaxPool2d.Spec(3, 2, 3), new MaxPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1),
            new MaxPool2d.Spec(3, 2, 1, 2, 2, 0, 1, 1), new MaxPool2d.Spec(2, 2, 2, 1, 0, 1, 1, 0)}) {
            Pair x = randn(dt, 1, 2, 3, 9, 8);
            Tensor out = MaxPool2d.forward(x.onCpu, spec).out();
            Pair dout = randn(dt, 1, out.shape().dims());
            agree("max pool out " + spec, dt, n -> MaxPool2d.forward(x.on(n), spec).out());
            agree("max pool dx " + spec, dt,
                    n -> MaxPool2d.backward(dout.on(n), MaxPool2d.forward(x.on(n), spec).cache()));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolGivesTiesToTheFirstMaximum(DType dt) {
        // After a ReLU most windows hold several zeros, and a window of zeros is a tie: the gradient
        // must go to its first position, as in the reference, in overlapping windows too.
        double[] v = new double[2 * 3 * 8 * 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(4) == 0 ? rng.nextGaussian() : 0;
        }
        Pair x = new Pair(dt, v, 2, 3, 8, 8);
        for (MaxPool2d.Spec spec : new MaxPool2d.Spec[] {MaxPool2d.Spec.TWO_BY_TWO, new MaxPool2d.Spec(3, 3, 1),
            new MaxPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1)}) {
            Tensor out = MaxPool2d.forward(x.onCpu, spec).out();
            Pair dout = randn(dt, 1, out.shape().dims());
            agree("max pool dx with ties " + spec, dt,
                    n -> MaxPool2d.backward(dout.on(n), MaxPool2d.forward(x.on(n), spec).cache()));
        }
    }

    @Test
    void maxPoolTieByHand() {
        // One 2x2 window of equal values: all of the gradient goes to the first, top-left position.
        Tensor x = nd4j.fromArray(new double[] {7, 7, 7, 7}, DType.FLOAT64, Shape.of(1, 1, 2, 2));
        Tensor dout = nd4j.fromArray(new double[] {5}, DType.FLOAT64, Shape.of(1, 1, 1, 1));
        Tensor dx = MaxPool2d.backward(dout, MaxPool2d.forward(x, MaxPool2d.Spec.TWO_BY_TWO).cache());
        assertArrayEquals(new double[] {5, 0, 0, 0}, dx.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxLoss(DType dt) {
        Pair scores = randn(dt, 3, 16, 10);
        int[] labels = rng.ints(16, 0, 10).toArray();
        SoftmaxLoss.Result expected = SoftmaxLoss.forwardBackward(scores.onCpu, labels);
        SoftmaxLoss.Result actual = SoftmaxLoss.forwardBackward(scores.onNd4j, labels);
        assertEquals(expected.loss(), actual.loss(), tolerance(dt) * Math.abs(expected.loss()), "loss " + dt);
        agree("softmax dscores", dt, n -> SoftmaxLoss.forwardBackward(scores.on(n), labels).dscores());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rnnStepAndSequence(DType dt) {
        Pair x = randn(dt, 1, 4, 6);
        Pair seq = randn(dt, 1, 4, 5, 6);
        Pair h = randn(dt, 1, 4, 7);
        Pair wx = randn(dt, 0.3, 6, 7);
        Pair wh = randn(dt, 0.3, 7, 7);
        Pair b = randn(dt, 1, 7);
        Pair dnext = randn(dt, 1, 4, 7);
        Pair dh = randn(dt, 1, 4, 5, 7);
        Function<Backend, RnnStep.Grads> step = n -> RnnStep.backward(dnext.on(n),
                RnnStep.forward(x.on(n), h.on(n), wx.on(n), wh.on(n), b.on(n)).cache());
        agree("rnn step out", dt, n -> RnnStep.forward(x.on(n), h.on(n), wx.on(n), wh.on(n), b.on(n)).out());
        agree("rnn step dx", dt, n -> step.apply(n).dx());
        agree("rnn step dprev_h", dt, n -> step.apply(n).dprevH());
        agree("rnn step dwx", dt, n -> step.apply(n).dwx());
        agree("rnn step dwh", dt, n -> step.apply(n).dwh());
        agree("rnn step db", dt, n -> step.apply(n).db());
        Function<Backend, Rnn.Grads> rnn = n -> Rnn.backward(dh.on(n),
                Rnn.forward(seq.on(n), h.on(n), wx.on(n), wh.on(n), b.on(n)).cache());
        agree("rnn out", dt, n -> Rnn.forward(seq.on(n), h.on(n), wx.on(n), wh.on(n), b.on(n)).out());
        agree("rnn dx", dt, n -> rnn.apply(n).dx());
        agree("rnn dh0", dt, n -> rnn.apply(n).dh0());
        agree("rnn dwx", dt, n -> rnn.apply(n).dwx());
        agree("rnn dwh", dt, n -> rnn.apply(n).dwh());
        agree("rnn db", dt, n -> rnn.apply(n).db());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void lstmStepAndSequence(DType dt) {
        Pair x = randn(dt, 1, 4, 6);
        Pair seq = randn(dt, 1, 4, 5, 6);
        Pair h = randn(dt, 1, 4, 7);
        Pair c = randn(dt, 1, 4, 7);
        Pair wx = randn(dt, 0.3, 6, 28);
        Pair wh = randn(dt, 0.3, 7, 28);
        Pair b = randn(dt, 1, 28);
        Pair dnextH = randn(dt, 1, 4, 7);
        Pair dnextC = randn(dt, 1, 4, 7);
        Pair dh = randn(dt, 1, 4, 5, 7);
        Function<Backend, LstmStep.Result> fwd = n -> LstmStep.forward(x.on(n), h.on(n), c.on(n), wx.on(n), wh.on(n),
                b.on(n));
        Function<Backend, LstmStep.Grads> step = n -> LstmStep.backward(dnextH.on(n), dnextC.on(n),
                fwd.apply(n).cache());
        agree("lstm step next_h", dt, n -> fwd.apply(n).nextH());
        agree("lstm step next_c", dt, n -> fwd.apply(n).nextC());
        agree("lstm step dx", dt, n -> step.apply(n).dx());
        agree("lstm step dprev_h", dt, n -> step.apply(n).dprevH());
        agree("lstm step dprev_c", dt, n -> step.apply(n).dprevC());
        agree("lstm step dwx", dt, n -> step.apply(n).dwx());
        agree("lstm step dwh", dt, n -> step.apply(n).dwh());
        agree("lstm step db", dt, n -> step.apply(n).db());
        Function<Backend, Rnn.Grads> lstm = n -> Lstm.backward(dh.on(n),
                Lstm.forward(seq.on(n), h.on(n), wx.on(n), wh.on(n), b.on(n)).cache());
        agree("lstm out", dt, n -> Lstm.forward(seq.on(n), h.on(n), wx.on(n), wh.on(n), b.on(n)).out());
        agree("lstm dx", dt, n -> lstm.apply(n).dx());
        agree("lstm dh0", dt, n -> lstm.apply(n).dh0());
        agree("lstm dwx", dt, n -> lstm.apply(n).dwx());
        agree("lstm dwh", dt, n -> lstm.apply(n).dwh());
        agree("lstm db", dt, n -> lstm.apply(n).db());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void temporalAffine(DType dt) {
        Pair x = randn(dt, 1, 4, 5, 6);
        Pair w = randn(dt, 0.5, 6, 3);
        Pair b = randn(dt, 1, 3);
        Pair dout = randn(dt, 1, 4, 5, 3);
        Function<Backend, Affine.Grads> grads = n -> TemporalAffine.backward(dout.on(n),
                TemporalAffine.forward(x.on(n), w.on(n), b.on(n)).cache());
        agree("temporal affine out", dt, n -> TemporalAffine.forward(x.on(n), w.on(n), b.on(n)).out());
        agree("temporal affine dx", dt, n -> grads.apply(n).dx());
        agree("temporal affine dw", dt, n -> grads.apply(n).dw());
        agree("temporal affine db", dt, n -> grads.apply(n).db());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void wordEmbeddingWithRepeatedIds(DType dt) {
        Pair w = randn(dt, 1, 9, 5);
        int[][] ids = new int[6][7];
        for (int[] row : ids) {
            for (int t = 0; t < row.length; t++) {
                row[t] = rng.nextInt(9); // 42 ids over 9 words: many repeats
            }
        }
        Pair dout = randn(dt, 1, 6, 7, 5);
        agree("embedding out", dt, n -> WordEmbedding.forward(ids, w.on(n)).out());
        agree("embedding dw", dt, n -> WordEmbedding.backward(dout.on(n), WordEmbedding.forward(ids, w.on(n)).cache()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void temporalSoftmaxLossWithMask(DType dt) {
        Pair scores = randn(dt, 3, 5, 6, 10);
        int[][] y = new int[5][6];
        boolean[][] mask = new boolean[5][6];
        for (int i = 0; i < 5; i++) {
            for (int t = 0; t < 6; t++) {
                y[i][t] = rng.nextInt(10);
                mask[i][t] = rng.nextInt(3) > 0;
            }
        }
        SoftmaxLoss.Result expected = TemporalSoftmaxLoss.forwardBackward(scores.onCpu, y, mask);
        SoftmaxLoss.Result actual = TemporalSoftmaxLoss.forwardBackward(scores.onNd4j, y, mask);
        assertEquals(expected.loss(), actual.loss(), tolerance(dt) * Math.abs(expected.loss()), "loss " + dt);
        agree("temporal softmax dscores", dt,
                n -> TemporalSoftmaxLoss.forwardBackward(scores.on(n), y, mask).dscores());
    }
}
