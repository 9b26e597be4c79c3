package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.nn.SoftmaxLoss;

/** The course's softmax loss (PyTorch's {@code nn.CrossEntropyLoss}) on (N, C) scores, over {@link SoftmaxLoss}. */
public final class SoftmaxCrossEntropy implements LossFunction {
    @Override
    public SoftmaxLoss.Result compute(Tensor scores, int[] labels) {
        return SoftmaxLoss.forwardBackward(scores, labels);
    }
}
