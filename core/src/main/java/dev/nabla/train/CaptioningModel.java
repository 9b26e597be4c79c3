package dev.nabla.train;

import dev.nabla.Tensor;
import java.util.Map;

/** A model the {@link CaptioningSolver} can train: named parameters and the loss on features and captions. */
public interface CaptioningModel extends Trainable {

    /** The loss on image features (N, D) and captions (N, T+1), and the gradient of each parameter. */
    Model.Loss loss(Tensor features, int[][] captions);
}
