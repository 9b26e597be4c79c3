package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import java.util.Random;

/** Weight initialization shared by the course's networks. */
final class Init {
    private Init() {
    }

    /**
     * Gaussian weights: standard deviation {@code weightScale} when it is positive (the course's
     * choice), else He initialization, sqrt(2 / fanIn), which keeps ReLU activations at unit scale.
     */
    static Tensor weights(Backend be, DType dtype, Random rng, double weightScale, int fanIn, int... dims) {
        double std = weightScale > 0 ? weightScale : Math.sqrt(2.0 / fanIn);
        return Tensors.randn(be, dtype, rng, std, dims);
    }
}
