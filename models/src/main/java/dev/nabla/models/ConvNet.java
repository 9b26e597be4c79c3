package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.module.Classifier;
import dev.nabla.module.Conv2d;
import dev.nabla.module.Flatten;
import dev.nabla.module.Init;
import dev.nabla.module.Linear;
import dev.nabla.module.MaxPool2d;
import dev.nabla.module.ReLU;
import dev.nabla.module.Sequential;
import java.util.Random;

/**
 * The course's convolutional network: conv (F filters K x K, valid) -> ReLU -> 2x2 max pool
 * stride 2 -> affine (hidden) -> ReLU -> affine -> softmax loss, with L2 regularization on the
 * weights. Parameters: {@code conv.weight} (F, C, K, K), {@code conv.bias} (F), {@code fc1.weight}
 * (F*PH*PW, hidden), {@code fc1.bias}, {@code fc2.weight} (hidden, classes), {@code fc2.bias}, where
 * PH = (H-K+1)/2 and PW = (W-K+1)/2.
 */
public final class ConvNet extends Classifier {
    /** The network's sizes and training-independent options. */
    public record Config(int channels, int height, int width, int numFilters, int filterSize, int hiddenDim,
                         int numClasses, double weightScale, double reg) {
        /** Checks the sizes. */
        public Config {
            if (channels < 1 || numFilters < 1 || filterSize < 1 || hiddenDim < 1 || numClasses < 2 || reg < 0) {
                throw new IllegalArgumentException("ConvNet.Config: sizes must be positive, at least 2 classes,"
                        + " reg >= 0; got channels " + channels + ", filters " + numFilters + ", filterSize " + filterSize
                        + ", hiddenDim " + hiddenDim + ", classes " + numClasses + ", reg " + reg);
            }
            if (height - filterSize + 1 < 2 || width - filterSize + 1 < 2) {
                throw new IllegalArgumentException("ConvNet.Config: a " + filterSize + "x" + filterSize
                        + " filter leaves nothing to pool in a " + height + "x" + width + " image");
            }
        }

        /** Values per sample entering the hidden affine layer: F * PH * PW. */
        public int pooledSize() {
            return numFilters * ((height - filterSize + 1) / 2) * ((width - filterSize + 1) / 2);
        }
    }

    private final Config config;

    /** A freshly initialized network (weights Gaussian per {@link Config#weightScale()}, biases 0). */
    public ConvNet(Backend be, DType dtype, Config c, long seed) {
        super(network(be, dtype, c, new Random(seed)), c.reg());
        this.config = c;
    }

    private static Sequential network(Backend be, DType dtype, Config c, Random rng) {
        Init init = Init.normalOrHe(c.weightScale());
        return Sequential.named()
                .add("conv", new Conv2d(be, dtype, c.channels(), c.numFilters(), c.filterSize(),
                        dev.nabla.nn.Conv2d.Spec.VALID, init, true, rng))
                .add("relu1", new ReLU())
                .add("pool", new MaxPool2d(2, 2))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(be, dtype, c.pooledSize(), c.hiddenDim(), init, rng))
                .add("relu2", new ReLU())
                .add("fc2", new Linear(be, dtype, c.hiddenDim(), c.numClasses(), init, rng))
                .build();
    }

    /** The configuration this network was built with. */
    public Config config() {
        return config;
    }
}
