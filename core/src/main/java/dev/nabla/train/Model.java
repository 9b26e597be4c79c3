package dev.nabla.train;

import dev.nabla.Tensor;
import java.util.Map;

/**
 * A trainable classifier as the course's models are: named parameters, and a loss function that
 * gives the loss and the gradient of every parameter ({@code loss(X, y)}), or the class scores when
 * there are no labels ({@link #scores}, the course's {@code loss(X, y=None)}).
 */
public interface Model extends Trainable {

    /** Class scores (N, classes) for a minibatch. */
    Tensor scores(Tensor x);

    /** The loss on a labelled minibatch and the gradient of each parameter, keyed like {@link #params()}. */
    Loss loss(Tensor x, int[] y);

    /**
     * A loss value and its gradients; {@code scores} are the forward pass's class scores when the
     * model hands them out (a training loop's running accuracy needs no second forward), else null.
     */
    record Loss(double value, Map<String, Tensor> grads, Tensor scores) {
        /** A loss without the scores. */
        public Loss(double value, Map<String, Tensor> grads) {
            this(value, grads, null);
        }
    }
}
