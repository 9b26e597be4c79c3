package dev.nabla.module;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;

/** Batch normalization of (N, C, H, W), per channel over N, H and W; see {@link BatchNorm}. */
public final class BatchNorm2d extends BatchNorm {
    /** A new layer of {@code channels}: gamma 1, beta 0, running mean 0 and variance 1, eps 1e-5, momentum 0.1. */
    public BatchNorm2d(Backend be, DType dtype, int channels) {
        super(4, be, dtype, channels);
    }

    /** A layer holding these tensors (an imported or pretrained one), all of shape (C). */
    public BatchNorm2d(Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, double eps, double momentum) {
        super(4, gamma, beta, runningMean, runningVar, eps, momentum);
    }
}
