package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.nn.SoftmaxLoss;

/** A training objective on a network's output: the loss of a labelled batch and its gradient with respect to the output. */
@FunctionalInterface
public interface LossFunction {
    /** The mean loss over the batch and d(loss)/d(scores). */
    SoftmaxLoss.Result compute(Tensor scores, int[] labels);
}
