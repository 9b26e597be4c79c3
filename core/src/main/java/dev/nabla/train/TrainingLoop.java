package dev.nabla.train;

import dev.nabla.Tensor;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop behind {@link Solver}, {@link Trainer} and {@link CaptioningSolver}: epochs of steps from
 * a data source, each step's loss guarded (NaN, infinity, or a loss grown past a multiple of its first value stops
 * the run before the weights change, naming the iteration) and followed by the optimizer's update and the
 * optional weight average; after each epoch the learning-rate schedule, an evaluation (any named metrics, one of
 * them deciding which epoch is best), the best state kept, a checkpoint, early stopping and listeners.
 *
 * <p>A checkpoint ({@link Checkpoint}) holds everything the next step depends on: parameters and buffers, every
 * optimizer state tensor and step count, the weight average, the learning rate, epoch and iteration, the random
 * generators of the data ({@link Stateful}), the model's counters (the dropout mask position), the loss and
 * metric history, the best state so far and the configuration the run was started with. {@link #resume} continues
 * from the last complete one, so a run stopped after epoch k and resumed ends with the same weights, history and
 * metrics as the run that was never stopped.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    /** One training step: the loss of one minibatch and its gradients (the loop applies the update). */
    @FunctionalInterface
    public interface Step {
        /** Computes the loss and gradients. */
        Model.Loss run();
    }

    /** What an epoch trains on. */
    public interface Epochs {
        /** Steps in one epoch, for progress and ETA; -1 when unknown in advance. */
        int steps();

        /** The steps of epoch {@code epoch} (1-based), in order; an iterator that is AutoCloseable is closed after. */
        Iterator<Step> epoch(int epoch);
    }

    /**
     * What is measured after each epoch: metrics by name (accuracy, BLEU, validation loss); names starting with an
     * underscore are bookkeeping, kept with the epoch but left out of its log line.
     */
    @FunctionalInterface
    public interface Evaluation {
        /** The metrics of the weights after epoch {@code epoch}. */
        Map<String, Double> evaluate(int epoch);
    }

    /** The learning rate of the next epoch from the one just used. */
    @FunctionalInterface
    public interface Schedule {
        /** The rate after epoch {@code epoch} (1-based), which used {@code learningRate}. */
        double next(int epoch, double learningRate);
    }

    /** A component whose state a resumed run must restore (a random generator of the data). */
    public interface Stateful {
        /** The state as text. */
        String save();

        /** Sets the state from what {@link #save} gave. */
        void restore(String saved);
    }

    /** Progress of a run, step by step and epoch by epoch. */
    public interface Listener {
        /** An epoch of {@code steps} steps (-1: unknown) begins. */
        default void epochStarted(int epoch, int epochs, int steps) {
        }

        /** Step {@code step} (1-based) of the epoch, global iteration {@code iteration}, is done. */
        default void stepDone(int epoch, int step, int iteration, double loss) {
        }

        /** The epoch is done and evaluated. */
        default void epochDone(EpochResult result) {
        }
    }

    /**
     * One finished epoch: its mean step loss, the learning rate it used, its training time and steps, the metrics
     * measured after it, and whether they were the best so far.
     */
    public record EpochResult(int epoch, double loss, double learningRate, double seconds, int steps,
                              Map<String, Double> metrics, boolean best) {
    }

    /** Options of the loop; the faces ({@link Solver}, ...) set them from their own. */
    public static final class Config {
        int epochs = 1;
        Schedule schedule = (e, lr) -> lr;
        double emaDecay;
        Path checkpointDir;
        int printEvery;
        String metric;
        boolean maximize = true;
        int patience;
        double minDelta;
        double divergence = DEFAULT_DIVERGENCE;
        int keep;
        String unit = "steps";
        int samplesPerStep = 1;
        Map<String, Object> description = Map.of();

        /** Passes over the data. */
        public Config epochs(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + v);
            }
            this.epochs = v;
            return this;
        }

        /** The learning-rate schedule. */
        public Config schedule(Schedule v) {
            this.schedule = v;
            return this;
        }

        /** Decay of a moving average of the weights that is evaluated and kept instead (0: none). */
        public Config ema(double decay) {
            this.emaDecay = checkEma(decay);
            return this;
        }

        /** Folder of a checkpoint after every epoch (null: none). */
        public Config checkpointDir(Path v) {
            this.checkpointDir = v;
            return this;
        }

        /** Keep only the last {@code n} checkpoints, deleting older ones (0, the default: keep every one). */
        public Config keepCheckpoints(int n) {
            this.keep = checkKeep(n);
            return this;
        }

        /** Iterations between loss log lines (0: only the per-epoch line). */
        public Config printEvery(int v) {
            this.printEvery = v;
            return this;
        }

        /** The metric that decides which epoch's state is kept, and whether larger is better (null: keep the last). */
        public Config best(String metricName, boolean larger) {
            this.metric = metricName;
            this.maximize = larger;
            return this;
        }

        /**
         * Stop after {@code epochs} epochs without an improvement of the best metric by more than {@code minDelta}
         * (0 epochs: never stop early).
         */
        public Config earlyStopping(int epochs, double minDelta) {
            checkEarlyStopping(epochs, minDelta);
            this.patience = epochs;
            this.minDelta = minDelta;
            return this;
        }

        /** Stop when a step's loss exceeds {@code factor} times the first step's (as a NaN does); 0 turns it off. */
        public Config divergence(double factor) {
            this.divergence = checkDivergence(factor);
            return this;
        }

        // The checks the faces' configurations share, so each rule and its message is written once.

        static double checkEma(double decay) {
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("the weight average's decay must be in [0, 1), got " + decay);
            }
            return decay;
        }

        static int checkKeep(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("the checkpoints to keep must be >= 0, got " + n);
            }
            return n;
        }

        static void checkEarlyStopping(int epochs, double minDelta) {
            if (epochs < 0 || !(minDelta >= 0)) {
                throw new IllegalArgumentException("early stopping needs patience >= 0 and a minimum improvement >= 0,"
                        + " got " + epochs + " and " + minDelta);
            }
        }

        static double checkDivergence(double factor) {
            if (!(factor == 0 || factor > 1)) {
                throw new IllegalArgumentException("the divergence factor must be 0 (off) or above 1, got " + factor);
            }
            return factor;
        }

        /** What one step's samples are called in the throughput ("images", "captions") and how many a step has. */
        public Config throughput(String unitName, int perStep) {
            this.unit = unitName;
            this.samplesPerStep = perStep;
            return this;
        }

        /** The options the run is started with, compared with a checkpoint's on {@link TrainingLoop#resume}. */
        public Config description(Map<String, Object> v) {
            this.description = new LinkedHashMap<>(v);
            return this;
        }
    }

    /** The factor past which a loss counts as diverged, unless configured: far beyond any normal fluctuation. */
    public static final double DEFAULT_DIVERGENCE = 1e4;

    private final Trainable model;
    private final Optimizer optimizer;
    private final Config config;
    private final Epochs data;
    private final Evaluation evaluation;
    private final Map<String, Stateful> stateful;
    private final List<Listener> listeners = new ArrayList<>();

    final List<Double> lossHistory = new ArrayList<>();
    final List<EpochResult> epochs = new ArrayList<>();
    double best = Double.NaN;
    int bestEpoch = -1;
    Map<String, Tensor> bestState;
    ExponentialMovingAverage ema;
    int iteration;
    int epochsDone;
    double firstLoss = Double.NaN;
    String stopReason;

    /**
     * A loop training {@code model} with {@code optimizer} on {@code data}, measuring each epoch with
     * {@code evaluation} (null: none); {@code stateful} names what a checkpoint must also restore.
     */
    public TrainingLoop(Trainable model, Optimizer optimizer, Config config, Epochs data, Evaluation evaluation,
                        Map<String, Stateful> stateful) {
        if (model.params().isEmpty()) {
            throw new IllegalArgumentException("TrainingLoop: the model has no trainable parameters");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.config = config;
        this.data = data;
        this.evaluation = evaluation;
        this.stateful = Map.copyOf(stateful);
    }

    /** Adds a progress listener. */
    public TrainingLoop listen(Listener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Continues from the last complete checkpoint in {@code dir}, as if the run had never stopped. The
     * configuration must be the one the checkpoint was started with unless {@code allowChanges}; the differences
     * are named otherwise.
     *
     * @return the epoch the checkpoint ended, the next one to train being one more
     * @throws IOException naming the folder when no complete checkpoint is there or it is unreadable, or a newer format
     */
    public int resume(Path dir, boolean allowChanges) throws IOException {
        return Checkpoint.restore(this, dir, allowChanges);
    }

    /** Trains the remaining epochs, restores the best state (if a metric decides it) and returns every epoch's result. */
    public List<EpochResult> train() {
        if (ema == null && config.emaDecay > 0) {
            ema = new ExponentialMovingAverage(model.params(), config.emaDecay);
        }
        if (config.checkpointDir != null) {
            Checkpoint.cleanUp(config.checkpointDir);
        }
        long start = System.nanoTime();
        int startEpoch = epochsDone;
        try {
            for (int e = epochsDone + 1; e <= config.epochs && stopReason == null; e++) {
                runEpoch(e, start, startEpoch);
            }
        } finally {
            if (ema != null) {
                ema.close();
                ema = null;
            }
        }
        if (bestState != null) {
            Training.assign(model.state(), bestState);
        }
        if (stopReason != null) {
            LOG.info("stopped early after epoch {}: {}", epochsDone, stopReason);
        }
        return Collections.unmodifiableList(epochs);
    }

    private void runEpoch(int e, long start, int startEpoch) {
        listeners.forEach(l -> l.epochStarted(e, config.epochs, data.steps()));
        long t0 = System.nanoTime();
        double sum = 0;
        int steps = 0;
        Iterator<Step> it = data.epoch(e);
        try {
            while (it.hasNext()) {
                double loss = step(it.next(), e);
                sum += loss;
                steps++;
                int s = steps;
                listeners.forEach(l -> l.stepDone(e, s, iteration, loss));
            }
        } finally {
            Steps.close(it);
        }
        if (steps == 0) {
            throw new IllegalArgumentException("TrainingLoop: the train loader gave no batches in epoch " + e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double lr = optimizer.learningRate();
        optimizer.setLearningRate(config.schedule.next(e, lr));
        EpochResult result = evaluate(e, sum / steps, lr, seconds, steps);
        epochsDone = e;
        double elapsed = (System.nanoTime() - start) / 1e9;
        LOG.info(line(result, elapsed / (e - startEpoch) * (config.epochs - e)));
        listeners.forEach(l -> l.epochDone(result));
        if (config.patience > 0 && bestEpoch > 0 && e - bestEpoch >= config.patience && e < config.epochs) {
            stopReason = String.format(Locale.ROOT, "%s did not improve by more than %s for %d epochs (best %s at"
                    + " epoch %d)", config.metric, config.minDelta, config.patience, best, bestEpoch);
        }
    }

    /** One step; a loss that is not finite, or has grown past the divergence factor, stops before the update. */
    private double step(Step s, int epoch) {
        Model.Loss l = s.run();
        iteration++;
        double loss = l.value();
        Training.requireFinite(loss, iteration, epoch, optimizer.learningRate());
        if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
        }
        if (config.divergence > 0 && Math.abs(loss) > config.divergence * Math.abs(firstLoss) && iteration > 1) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training diverged: the loss is %g at"
                    + " iteration %d (epoch %d), more than %g times its first value %g; lower the learning rate (now"
                    + " %g) or the weight scale", loss, iteration, epoch, config.divergence, firstLoss,
                    optimizer.learningRate()));
        }
        Training.update(optimizer, model.params(), l);
        if (ema != null) {
            ema.update(model.params());
        }
        l.grads().values().forEach(Tensor::close);
        lossHistory.add(loss);
        if (config.printEvery > 0 && iteration % config.printEvery == 0) {
            LOG.info(String.format(Locale.ROOT, "(Iteration %d) loss: %.6f", iteration, loss));
        }
        return loss;
    }

    /**
     * Measures the weights after an epoch (with a weight average, the average's: it is swapped in for the
     * evaluation, the best state and the checkpoint, then the live weights come back, even if evaluation fails).
     */
    private EpochResult evaluate(int e, double loss, double lr, double seconds, int steps) {
        Map<String, Tensor> live = null;
        try {
            if (ema != null) {
                live = Training.snapshot(model.params());
                Training.assign(model.params(), ema.average());
            }
            Map<String, Double> metrics = evaluation == null ? Map.of() : Map.copyOf(evaluation.evaluate(e));
            boolean improved = false;
            if (config.metric != null) {
                Double value = metrics.get(config.metric);
                if (value == null || value.isNaN()) {
                    throw new IllegalStateException("TrainingLoop: the evaluation gave no " + config.metric + " in epoch "
                            + e + " (it gave " + metrics + ")");
                }
                improved = Double.isNaN(best) || (config.maximize ? value > best + config.minDelta
                        : value < best - config.minDelta);
                if (improved) {
                    best = value;
                    bestEpoch = e;
                    Training.close(bestState);
                    bestState = Training.snapshot(model.state());
                }
            }
            EpochResult r = new EpochResult(e, loss, lr, seconds, steps, orderedMetrics(metrics), improved);
            epochs.add(r);
            if (config.checkpointDir != null) {
                writeCheckpoint(e, live);
            }
            return r;
        } finally {
            if (live != null) {
                Training.assign(model.params(), live);
                Training.close(live);
            }
        }
    }

    private Map<String, Double> orderedMetrics(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.keySet().stream().sorted().forEach(k -> out.put(k, metrics.get(k)));
        return Collections.unmodifiableMap(out);
    }

    private void writeCheckpoint(int e, Map<String, Tensor> live) {
        try {
            Checkpoint.write(this, e, live);
            if (config.keep > 0) {
                Checkpoint.deleteOlder(config.checkpointDir, e - config.keep);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + e + " in "
                    + config.checkpointDir + ": " + ex.getMessage(), ex);
        }
    }

    private String line(EpochResult r, double etaSeconds) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "(Epoch %d / %d) loss %.4f", r.epoch(),
                config.epochs, r.loss()));
        // Metrics named with a leading underscore are bookkeeping (sample counts, phase times), kept but not shown.
        r.metrics().forEach((k, v) -> {
            if (!k.startsWith("_")) {
                sb.append(String.format(Locale.ROOT, ", %s %.4f", k, v));
            }
        });
        if (config.emaDecay > 0) {
            sb.append(" (averaged weights)");
        }
        return sb.append(String.format(Locale.ROOT, ", %.0f %s/s, lr %.2e, ETA %s", r.steps() * (double)
                config.samplesPerStep / r.seconds(), config.unit, r.learningRate(), Training.eta(etaSeconds)))
                .toString();
    }

    // ---- what the faces and the checkpoint read -------------------------------------------------

    Trainable model() {
        return model;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    Config config() {
        return config;
    }

    Map<String, Stateful> stateful() {
        return stateful;
    }

    /** The loss of every step so far. */
    public List<Double> lossHistory() {
        return Collections.unmodifiableList(lossHistory);
    }

    /** Every finished epoch's result. */
    public List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The best value of the deciding metric (NaN before any epoch, or without a metric). */
    public double best() {
        return best;
    }

    /** The epoch (1-based) that reached it, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Why the run stopped before its last epoch, or null. */
    public String stopReason() {
        return stopReason;
    }
}
