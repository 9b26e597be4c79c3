package dev.nabla.train;

import dev.nabla.Tensor;
import java.util.Map;

/** What a training loop updates and checkpoints: named parameters, the full state, and counters that are not tensors. */
public interface Trainable {
    /** The trainable parameters by name, in a stable order; the loop updates these tensors in place. */
    Map<String, Tensor> params();

    /**
     * Everything a saved model or a checkpoint must hold: the parameters, and also frozen parameters and buffers
     * (batch-norm running statistics) where the model has them.
     */
    default Map<String, Tensor> state() {
        return params();
    }

    /** Counters that are not tensors but that the next step depends on (e.g. the dropout mask position), by name. */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** Sets the counters to what {@link #counters()} gave in an earlier run. */
    default void restoreCounters(Map<String, Long> counters) {
    }
}
