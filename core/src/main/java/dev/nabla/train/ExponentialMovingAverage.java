package dev.nabla.train;

import dev.nabla.Tensor;
import java.util.Map;

/**
 * A running average of a model's weights over training steps (Polyak averaging), as TensorFlow's
 * {@code ExponentialMovingAverage} with {@code num_updates}.
 *
 * <p>After each update, {@code average = d * average + (1 - d) * weight} with
 * {@code d = min(decay, (1 + t) / (10 + t))} at step {@code t}: the warm-up lets the average follow
 * the fast early changes instead of remembering the random initialization for thousands of steps.
 * It also means the configured decay rules only from step {@code (10 * decay - 1) / (1 - decay)} on
 * (8,990 for 0.999); until then the average spans roughly the last {@code t / 10} steps. PyTorch's
 * {@code AveragedModel} with {@code get_ema_multi_avg_fn} and Keras' {@code use_ema} have no warm-up.
 * Adam keeps jittering around a minimum; the average sits nearer its centre, so it usually scores
 * better on held-out data than the weights of any one step (measured on MNIST: the README's digits
 * section).
 */
public final class ExponentialMovingAverage implements AutoCloseable {
    private final double decay;
    private final Map<String, Tensor> average;
    private long steps;

    /** Starts the average at the current {@code params}; {@code decay} in [0, 1). */
    public ExponentialMovingAverage(Map<String, Tensor> params, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("ExponentialMovingAverage: decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        this.average = Training.snapshot(params);
    }

    /** The decay used at the next {@link #update}: the configured one, less during the first steps. */
    public double currentDecay() {
        return Math.min(decay, (1.0 + steps) / (10.0 + steps));
    }

    /** Folds the weights after one training step into the average. */
    public void update(Map<String, Tensor> params) {
        double d = currentDecay();
        average.forEach((name, avg) -> {
            avg.scale(d);
            avg.addScaled(1 - d, params.get(name));
        });
        steps++;
    }

    /** Updates folded in so far (the warm-up's t). */
    public long steps() {
        return steps;
    }

    /** Continues from an earlier run's average: its update count (the averaged tensors are set through {@link #average}). */
    public void setSteps(long steps) {
        this.steps = steps;
    }

    /** The averaged weights, keyed like the model's parameters (owned by this object; do not close). */
    public Map<String, Tensor> average() {
        return average;
    }

    /** Frees the averaged weights. */
    @Override
    public void close() {
        Training.close(average);
    }
}
