package dev.nabla.module;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import java.util.Random;

/** How a new layer's weights are drawn, from a seeded generator so a network repeats. */
@FunctionalInterface
public interface Init {
    /** A tensor of shape {@code dims} for a layer whose each output sees {@code fanIn} inputs. */
    Tensor make(Backend backend, DType dtype, Random rng, int fanIn, int... dims);

    /** Gaussian with standard deviation sqrt(2 / fanIn) (He et al. 2015): keeps ReLU activations at unit scale. */
    static Init he() {
        return (be, dtype, rng, fanIn, dims) -> Tensors.randn(be, dtype, rng, Math.sqrt(2.0 / fanIn), dims);
    }

    /** The course's choice: Gaussian with standard deviation {@code weightScale} when it is positive, else {@link #he()}. */
    static Init normalOrHe(double weightScale) {
        return weightScale > 0 ? normal(weightScale) : he();
    }

    /** Gaussian with the given standard deviation (the course's {@code weight_scale}). */
    static Init normal(double std) {
        return (be, dtype, rng, fanIn, dims) -> Tensors.randn(be, dtype, rng, std, dims);
    }

    /** Uniform in [-1/sqrt(fanIn), 1/sqrt(fanIn)]: PyTorch's default for the weights and biases of Linear and Conv2d. */
    static Init uniform() {
        return (be, dtype, rng, fanIn, dims) -> {
            double bound = 1 / Math.sqrt(fanIn);
            return Tensors.uniform(be, dtype, rng, -bound, bound, dims);
        };
    }

    /** All zeros (biases in the course's networks). */
    static Init zeros() {
        return (be, dtype, rng, fanIn, dims) -> be.zeros(dtype, dev.nabla.Shape.of(dims));
    }
}
