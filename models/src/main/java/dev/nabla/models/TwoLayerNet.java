package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.module.Classifier;
import dev.nabla.module.Flatten;
import dev.nabla.module.Init;
import dev.nabla.module.Linear;
import dev.nabla.module.ReLU;
import dev.nabla.module.Sequential;
import java.util.Random;

/**
 * The course's two-layer softmax network: input -> affine -> ReLU -> affine -> softmax loss, with L2
 * regularization {@code 0.5 * reg * (|W1|^2 + |W2|^2)} on the weights (not the biases). Parameters:
 * {@code fc1.weight} (D, H), {@code fc1.bias} (H), {@code fc2.weight} (H, C), {@code fc2.bias} (C).
 */
public final class TwoLayerNet extends Classifier {
    /** The network's sizes and training-independent options. */
    public record Config(int inputDim, int hiddenDim, int numClasses, double weightScale, double reg) {
        /** Checks the sizes. */
        public Config {
            if (inputDim < 1 || hiddenDim < 1 || numClasses < 2 || reg < 0) {
                throw new IllegalArgumentException("TwoLayerNet.Config: sizes must be positive, at least 2 classes,"
                        + " reg >= 0; got inputDim " + inputDim + ", hiddenDim " + hiddenDim + ", classes " + numClasses
                        + ", reg " + reg);
            }
        }
    }

    private final Config config;

    /** A freshly initialized network (weights Gaussian per {@link Config#weightScale()}, biases 0). */
    public TwoLayerNet(Backend be, DType dtype, Config config, long seed) {
        super(network(be, dtype, config, new Random(seed)), config.reg());
        this.config = config;
    }

    private static Sequential network(Backend be, DType dtype, Config c, Random rng) {
        Init init = Init.normalOrHe(c.weightScale());
        return Sequential.named()
                .add("flatten", new Flatten())
                .add("fc1", new Linear(be, dtype, c.inputDim(), c.hiddenDim(), init, rng))
                .add("relu", new ReLU())
                .add("fc2", new Linear(be, dtype, c.hiddenDim(), c.numClasses(), init, rng))
                .build();
    }

    /** The configuration this network was built with. */
    public Config config() {
        return config;
    }
}
