package dev.nabla.train;

import dev.nabla.Tensor;
import dev.nabla.io.ParamStore;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;

/** The pieces {@link Solver}, {@link CaptioningSolver} and {@link Trainer} share: update, NaN guard, order, snapshots, checkpoints, ETA. */
final class Training {
    private Training() {
    }

    /** Applies one update to every parameter from its gradient; a missing gradient is an error naming it. */
    static void update(Optimizer optimizer, Map<String, Tensor> params, Model.Loss loss) {
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor grad = loss.grads().get(p.getKey());
            if (grad == null) {
                throw new IllegalStateException("the model's loss gave no gradient for parameter '" + p.getKey() + "'");
            }
            optimizer.update(p.getKey(), p.getValue(), grad);
        }
    }

    /** One minibatch step: the loss of batch {@code batch} of the epoch, whose global iteration is {@code iteration} (1-based). */
    @FunctionalInterface
    interface Step {
        double run(int batch, int iteration);
    }

    /**
     * Runs the {@code perEpoch} steps of one epoch, iterations {@code done + 1} on: every loss goes to
     * {@code history}, one in {@code printEvery} is logged; returns the epoch's mean loss.
     */
    static double epoch(int perEpoch, int done, int total, int printEvery, Step step, List<Double> history,
                        Logger log) {
        double sum = 0;
        for (int b = 0; b < perEpoch; b++) {
            int iteration = done + b + 1;
            double loss = step.run(b, iteration);
            history.add(loss);
            sum += loss;
            if (printEvery > 0 && iteration % printEvery == 0) {
                log.info(String.format(Locale.ROOT, "(Iteration %d / %d) loss: %.6f", iteration, total, loss));
            }
        }
        return sum / perEpoch;
    }

    /** Stops training with an error naming the iteration when the loss is NaN or infinite. */
    static void requireFinite(double loss, int iteration, int epoch, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "training diverged: the loss is %s at iteration %d (epoch %d); lower the learning "
                            + "rate (now %g) or the weight scale", loss, iteration, epoch, learningRate));
        }
    }

    /** A copy of every parameter, for keeping the best weights. */
    static Map<String, Tensor> snapshot(Map<String, Tensor> params) {
        Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /** Copies each tensor of {@code from} into the parameter of the same name in {@code to}. */
    static void assign(Map<String, Tensor> to, Map<String, Tensor> from) {
        to.forEach((k, v) -> v.assign(from.get(k)));
    }

    /** Closes every tensor of a snapshot (native memory on some backends); null is a no-op. */
    static void close(Map<String, Tensor> snapshot) {
        if (snapshot != null) {
            snapshot.values().forEach(Tensor::close);
        }
    }

    /** 0, 1, ..., n-1. */
    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Fisher-Yates shuffle with the solver's seeded generator. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The parameters after an epoch as {@code <dir>/epoch_NNN/} (see {@link ParamStore}), written atomically. */
    static void checkpoint(Path dir, int epoch, Map<String, Tensor> params, String json) {
        Path target = dir.resolve(String.format(Locale.ROOT, "epoch_%03d", epoch));
        try {
            ParamStore.save(target, params, json);
        } catch (IOException ex) {
            throw new UncheckedIOException("could not write the checkpoint " + target + ": " + ex.getMessage(), ex);
        }
    }

    /** Seconds as {@code 42s} or {@code 3m05s}. */
    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
