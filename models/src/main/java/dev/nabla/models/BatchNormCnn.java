package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.module.BatchNorm1d;
import dev.nabla.module.BatchNorm2d;
import dev.nabla.module.Classifier;
import dev.nabla.module.Conv2d;
import dev.nabla.module.Dropout;
import dev.nabla.module.Flatten;
import dev.nabla.module.Init;
import dev.nabla.module.Linear;
import dev.nabla.module.MaxPool2d;
import dev.nabla.module.ReLU;
import dev.nabla.module.Sequential;
import java.util.Random;

/**
 * A digit CNN with batch normalization and dropout, beside the course's {@link ConvNet}: two blocks of 3x3
 * convolution (padding 1, no bias: the batch norm's shift is one) -> batch norm -> ReLU -> 2x2 max pool, then
 * dropout 0.25, a hidden linear layer with batch norm, ReLU and dropout 0.5, and the class scores. For 1x28x28
 * images: 16 and 32 channels, 28 -> 14 -> 7 pixels, 1,568 -> {@code hidden} -> 10; He initialization.
 */
public final class BatchNormCnn extends Classifier {
    /** Channels of the two convolution blocks. */
    public static final int[] CHANNELS = {16, 32};

    /** A freshly initialized network; {@code seed} also seeds the dropout masks. */
    public BatchNormCnn(Backend be, DType dtype, int hidden, double reg, long seed) {
        super(network(be, dtype, hidden, new Random(seed), seed), reg);
    }

    private static Sequential network(Backend be, DType dtype, int hidden, Random rng, long seed) {
        Init he = Init.he();
        int c1 = CHANNELS[0];
        int c2 = CHANNELS[1];
        return Sequential.named()
                .add("conv1", new Conv2d(be, dtype, 1, c1, 3, dev.nabla.nn.Conv2d.Spec.of(1, 1), he, false, rng))
                .add("bn1", new BatchNorm2d(be, dtype, c1))
                .add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2, 2))
                .add("conv2", new Conv2d(be, dtype, c1, c2, 3, dev.nabla.nn.Conv2d.Spec.of(1, 1), he, false, rng))
                .add("bn2", new BatchNorm2d(be, dtype, c2))
                .add("relu2", new ReLU())
                .add("pool2", new MaxPool2d(2, 2))
                .add("drop1", new Dropout(0.25, seed + 1))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(be, dtype, c2 * 7 * 7, hidden, he, rng))
                .add("bn3", new BatchNorm1d(be, dtype, hidden))
                .add("relu3", new ReLU())
                .add("drop2", new Dropout(0.5, seed + 2))
                .add("fc2", new Linear(be, dtype, hidden, 10, he, rng))
                .build();
    }
}
