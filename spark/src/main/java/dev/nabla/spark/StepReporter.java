package dev.nabla.spark;

import dev.nabla.Tensor;
import dev.nabla.train.Model;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A {@link Model} that passes everything to another and, every {@code seconds} of training, reports the step, the
 * loss and the rate: how a Spark task that runs a whole Solver shows its progress on the driver.
 */
final class StepReporter extends ForwardingModel {
    private final String label;
    private final long totalSteps;
    private final long intervalNanos;
    private final Consumer<String> sink;
    private final long start = System.nanoTime();
    private long last = start;
    private long steps;

    /** Reports as {@code label: step i / totalSteps, ...} to {@code sink} at most once per {@code seconds}. */
    StepReporter(Model model, String label, long totalSteps, double seconds, Consumer<String> sink) {
        super(model);
        this.label = label;
        this.totalSteps = totalSteps;
        this.intervalNanos = (long) (seconds * 1e9);
        this.sink = sink;
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        Loss loss = model.loss(x, y);
        steps++;
        long now = System.nanoTime();
        if (now - last >= intervalNanos || steps == totalSteps) {
            last = now;
            double seconds = (now - start) / 1e9;
            sink.accept(String.format(Locale.ROOT, "%s: step %d / %d, loss %.4f, %.1f steps/s", label, steps,
                    totalSteps, loss.value(), steps / seconds));
        }
        return loss;
    }
}
