package dev.nabla.train;

import dev.nabla.Tensor;
import java.util.Map;

/** A model the {@link CaptioningSolver} can train: named parameters and the loss on features and captions. */
public interface CaptioningModel {
    /** The parameters by name, in a stable order; the solver updates these tensors in place. */
    Map<String, Tensor> params();

    /** The loss on image features (N, D) and captions (N, T+1), and the gradient of each parameter. */
    Model.Loss loss(Tensor features, int[][] captions);
}
