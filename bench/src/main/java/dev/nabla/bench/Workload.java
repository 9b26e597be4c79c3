package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.data.DataDir;
import dev.nabla.models.CaptioningRNN;
import dev.nabla.models.ConvNet;
import dev.nabla.models.MobileNetV2;
import dev.nabla.models.TwoLayerNet;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The workloads of {@code shared/design/workloads.md}: what one iteration does on a backend, in FLOAT32,
 * and how much work it counts for.
 */
public enum Workload {
    /** Conv forward + backward at the digit CNN's shape. */
    W1("GFLOP/s", ConvCase.W1.flop() / 1e9) {
        @Override
        Runnable prepare(Backend be) {
            return conv(be, ConvCase.W1);
        }
    },
    /** Conv forward + backward at a ResNet-style shape. */
    W2("GFLOP/s", ConvCase.W2.flop() / 1e9) {
        @Override
        Runnable prepare(Backend be) {
            return conv(be, ConvCase.W2);
        }
    },
    /** Two-layer MLP training step, batch 100. */
    W3("images/s", 100) {
        @Override
        Runnable prepare(Backend be) {
            return trainingStep(be, mlp(be), 10, 100, 1, 28, 28);
        }
    },
    /** W3 through the layer contracts chained by hand ({@link HandChained}): what the module API costs. */
    W3_CHAINED("images/s", 100) {
        @Override
        Runnable prepare(Backend be) {
            return trainingStep(be, new HandChained(mlp(be), false), 10, 100, 1, 28, 28);
        }
    },
    /** Convolutional network training step, batch 50. */
    W4("images/s", 50) {
        @Override
        Runnable prepare(Backend be) {
            return trainingStep(be, cnn(be), 10, 50, 1, 28, 28);
        }
    },
    /** W4 through the layer contracts chained by hand. */
    W4_CHAINED("images/s", 50) {
        @Override
        Runnable prepare(Backend be) {
            return trainingStep(be, new HandChained(cnn(be), true), 10, 50, 1, 28, 28);
        }
    },
    /** Captioning RNN loss forward + backward: N=100, T=16, D=512, W=256, H=512, V=1004, vanilla RNN cell. */
    W5("sequences/s", 100) {
        @Override
        Runnable prepare(Backend be) {
            int n = 100;
            int steps = 16;
            int vocab = 1004;
            CaptioningRNN net = new CaptioningRNN(be, DTYPE,
                    new CaptioningRNN.Config(512, 256, 512, vocab, CaptioningRNN.Cell.RNN, 0), Fixtures.SEED);
            Random rng = new Random(Fixtures.SEED + 1);
            Tensor features = Fixtures.gaussian(be, DTYPE, rng, 1, n, 512);
            // <START> = 1, words from 4 on, <END> = 2, then <NULL> = 0 padding: lengths vary as real captions do.
            int[][] captions = new int[n][steps + 1];
            for (int[] c : captions) {
                int words = 8 + rng.nextInt(steps - 8);
                c[0] = 1;
                for (int t = 1; t <= words; t++) {
                    c[t] = 4 + rng.nextInt(vocab - 4);
                }
                c[words + 1] = 2;
            }
            return () -> net.loss(features, captions);
        }
    },
    /** MobileNetV2 training step (every layer trainable), batch 8, 224x224, 1000 classes; weights from the data folder. */
    W6("images/s", 8) {
        @Override
        Runnable prepare(Backend be) {
            Path dir = DataDir.resolve(null).resolve(MobileNetV2.DEFAULT_FILE);
            MobileNetV2 net;
            try {
                net = MobileNetV2.load(dir, be, DTYPE);
            } catch (IOException e) {
                throw new UnsupportedOperationException("needs the pretrained MobileNetV2 in " + dir
                        + " (set NABLA_DATA): " + e.getMessage(), e);
            }
            return trainingStep(be, net, 1000, 8, 3, 224, 224);
        }
    },
    /** 2048^3 float32 matrix multiply through {@link Backend#matmul}. */
    SGEMM("GFLOP/s", 2.0 * 2048 * 2048 * 2048 / 1e9) {
        @Override
        Runnable prepare(Backend be) {
            Random rng = new Random(Fixtures.SEED);
            Tensor a = Fixtures.gaussian(be, DTYPE, rng, 1, 2048, 2048);
            Tensor b = Fixtures.gaussian(be, DTYPE, rng, 1, 2048, 2048);
            return () -> be.matmul(a, false, b, false).close();
        }
    };

    /** Every workload is measured in float32. */
    static final DType DTYPE = DType.FLOAT32;

    private final String unit;
    private final double workPerIteration;

    Workload(String unit, double workPerIteration) {
        this.unit = unit;
        this.workPerIteration = workPerIteration;
    }

    /** The throughput unit printed after {@code unit=}. */
    public String unit() {
        return unit;
    }

    /** Units of work (GFLOP, images, sequences) in one iteration. */
    double workPerIteration() {
        return workPerIteration;
    }

    /**
     * Builds the inputs on {@code be} and returns one iteration; throws {@link UnsupportedOperationException}
     * with the reason when the workload cannot run yet.
     */
    abstract Runnable prepare(Backend be);

    static TwoLayerNet mlp(Backend be) {
        return new TwoLayerNet(be, DTYPE, new TwoLayerNet.Config(784, 500, 10, 1e-2, 0), Fixtures.SEED);
    }

    static ConvNet cnn(Backend be) {
        return new ConvNet(be, DTYPE, new ConvNet.Config(1, 28, 28, 32, 7, 100, 10, 1e-2, 0), Fixtures.SEED);
    }

    private static Runnable conv(Backend be, ConvCase shape) {
        ConvCase.Inputs in = shape.inputs(be, DTYPE);
        return () -> shape.forwardBackward(in);
    }

    /** Loss and gradients on a fixed random minibatch, then a plain SGD update of every parameter. */
    private static Runnable trainingStep(Backend be, Model net, int classes, int batch, int... imageDims) {
        Random rng = new Random(Fixtures.SEED + 1);
        int[] dims = new int[imageDims.length + 1];
        dims[0] = batch;
        System.arraycopy(imageDims, 0, dims, 1, imageDims.length);
        Tensor x = Fixtures.gaussian(be, DTYPE, rng, 1, dims);
        int[] y = Fixtures.labels(rng, batch, classes);
        Optimizer sgd = Optimizer.named("sgd", 1e-4);
        return () -> {
            Model.Loss loss = net.loss(x, y);
            for (Map.Entry<String, Tensor> p : net.params().entrySet()) {
                sgd.update(p.getKey(), p.getValue(), loss.grads().get(p.getKey()));
            }
        };
    }
}
