package dev.nabla.train;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Minibatch training of a classification {@link Model}, as the course's {@code Solver}.
 *
 * <p>Each epoch visits the training set once in a fresh seeded order, updating every parameter
 * with the configured rule; then the learning rate decays, train accuracy (on a sample) and
 * validation accuracy are measured, and the parameters with the best validation accuracy so far
 * are kept (with the model's buffers, such as batch-norm statistics: its {@link Model#state()}). They are
 * restored when training ends. A loss that becomes NaN or infinite stops
 * training with an error naming the iteration. With the same seed and backend a run repeats.
 *
 * <p>With {@link Config#ema(double)} the solver also keeps an {@link ExponentialMovingAverage} of the
 * weights; the accuracies, the best weights, the checkpoints and the restored model are then the
 * average's, while the updates keep working on the live weights.
 */
public final class Solver {
    private static final Logger LOG = LoggerFactory.getLogger(Solver.class);

    /** Training options, with the course's defaults; set with the fluent methods. */
    public static final class Config {
        int batchSize = 100;
        int epochs = 10;
        String updateRule = "sgd";
        double learningRate = 1e-2;
        double lrDecay = 1.0;
        int printEvery = 100;
        int numTrainSamples = 1000;
        int numValSamples = 0;
        Path checkpointDir;
        long seed = 0;
        Augmentation augmentation;
        double emaDecay;
        int patience;
        double minDelta;
        double divergence = TrainingLoop.DEFAULT_DIVERGENCE;
        final Map<String, Object> notes = new LinkedHashMap<>();
        int keepCheckpoints;

        /** Samples per minibatch. */
        public Config batchSize(int v) {
            this.batchSize = positive("batchSize", v);
            return this;
        }

        /** Passes over the training set. */
        public Config epochs(int v) {
            this.epochs = positive("epochs", v);
            return this;
        }

        /** {@code sgd}, {@code sgd_momentum}, {@code rmsprop} or {@code adam}. */
        public Config updateRule(String v) {
            Optimizer.named(v, 1); // fails now, not after the first epoch, on an unknown name
            this.updateRule = v;
            return this;
        }

        /** The initial learning rate. */
        public Config learningRate(double v) {
            this.learningRate = v;
            return this;
        }

        /** Factor applied to the learning rate after every epoch. */
        public Config lrDecay(double v) {
            this.lrDecay = v;
            return this;
        }

        /** Iterations between loss log lines (0: only the per-epoch line). */
        public Config printEvery(int v) {
            this.printEvery = v;
            return this;
        }

        /** Training samples used to estimate train accuracy each epoch (0: all). */
        public Config numTrainSamples(int v) {
            this.numTrainSamples = v;
            return this;
        }

        /** Validation samples used each epoch (0: all). */
        public Config numValSamples(int v) {
            this.numValSamples = v;
            return this;
        }

        /**
         * Folder for a checkpoint after every epoch (null: none): the weights that were evaluated (with
         * {@link #ema(double)}, the average, marked {@code "weights": "ema"} in the description).
         */
        public Config checkpointDir(Path v) {
            this.checkpointDir = v;
            return this;
        }

        /** Keep only the last {@code n} epochs' checkpoints (0, the default: every one). */
        public Config keepCheckpoints(int n) {
            this.keepCheckpoints = TrainingLoop.Config.checkKeep(n);
            return this;
        }

        /** A random change applied to every training minibatch (null: none). */
        public Config augmentation(Augmentation v) {
            this.augmentation = v;
            return this;
        }

        /**
         * Decay of an exponential moving average of the weights that is evaluated and kept instead of the
         * last weights (e.g. 0.999); 0, the default, keeps no average.
         */
        public Config ema(double decay) {
            this.emaDecay = TrainingLoop.Config.checkEma(decay);
            return this;
        }

        /**
         * Early stopping: stop after {@code epochs} epochs in which the validation accuracy did not rise by more than
         * {@code minDelta} over the best (0 epochs, the default: never); the best epoch's weights are kept as always.
         */
        public Config earlyStopping(int epochs, double minDelta) {
            TrainingLoop.Config.checkEarlyStopping(epochs, minDelta);
            this.patience = epochs;
            this.minDelta = minDelta;
            return this;
        }

        /**
         * Stop, naming the iteration, when a step's loss exceeds {@code factor} times the first step's (default
         * {@value TrainingLoop#DEFAULT_DIVERGENCE}; 0 turns it off): a finite but exploding loss is no success.
         */
        public Config divergence(double factor) {
            this.divergence = TrainingLoop.Config.checkDivergence(factor);
            return this;
        }

        /**
         * Records what else defines the run (the model's size, the data set) in {@link #describe()}: a checkpoint
         * keeps it, and resuming under other values is refused, naming them.
         */
        public Config note(String key, Object value) {
            notes.put(key, value);
            return this;
        }

        /** Seed of the minibatch order, the augmentation and the accuracy samples. */
        public Config seed(long v) {
            this.seed = v;
            return this;
        }

        /** The options as a flat map, for reports. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("update_rule", updateRule);
            m.put("learning_rate", learningRate);
            m.put("lr_decay", lrDecay);
            m.put("batch_size", batchSize);
            m.put("epochs", epochs);
            m.put("seed", seed);
            if (augmentation != null) {
                m.put("augmentation", augmentation.toString());
            }
            if (emaDecay > 0) {
                m.put("ema_decay", emaDecay);
            }
            if (patience > 0) {
                m.put("patience", patience);
                m.put("min_delta", minDelta);
            }
            m.putAll(notes);
            return m;
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("Solver." + name + " must be at least 1, got " + v);
            }
            return v;
        }
    }

    /** What one finished epoch measured. */
    public record Epoch(int epoch, double loss, double trainAcc, double valAcc, double learningRate,
                        double seconds, double imagesPerSecond) {
    }

    private final Model model;
    private final Dataset train;
    private final Dataset val;
    private final Config config;
    private final Optimizer optimizer;
    private Random rng;
    private final Backend backend;
    private final DType dtype;
    private final TrainingLoop loop;

    /** A solver for {@code model} on the given training and validation sets. */
    public Solver(Model model, Dataset train, Dataset val, Config config) {
        this.model = model;
        this.train = train;
        this.val = val;
        this.config = config;
        this.optimizer = Optimizer.named(config.updateRule, config.learningRate);
        this.rng = new Random(config.seed);
        Tensor any = model.params().values().iterator().next();
        this.backend = any.backend();
        this.dtype = any.dtype();
        int n = train.count();
        int perEpoch = Math.max(n / config.batchSize, 1);
        TrainingLoop.Config loopConfig = new TrainingLoop.Config().epochs(config.epochs)
                .schedule((e, lr) -> lr * config.lrDecay).ema(config.emaDecay).checkpointDir(config.checkpointDir)
                .printEvery(config.printEvery).best(VAL_ACC, true).earlyStopping(config.patience, config.minDelta)
                .divergence(config.divergence).throughput("images", config.batchSize).description(config.describe())
                .keepCheckpoints(config.keepCheckpoints);
        int[] order = Training.range(n);
        TrainingLoop.Epochs epochs = Training.shuffled(order, () -> rng, perEpoch, b -> () -> {
            int from = b * config.batchSize;
            int to = Math.min(from + config.batchSize, n);
            return model.loss(trainingBatch(order, from, to), train.labels(order, from, to));
        });
        this.loop = new TrainingLoop(model, optimizer, loopConfig, epochs, e -> Map.of(TRAIN_ACC,
                accuracy(train, config.numTrainSamples), VAL_ACC, accuracy(val, config.numValSamples)),
                Map.of("solver_rng", Training.stateOf(() -> rng, r -> rng = r), "order", Training.stateOf(order)));
    }

    private static final String TRAIN_ACC = "train_acc";
    private static final String VAL_ACC = "val_acc";

    /**
     * Continues from the last complete checkpoint in {@code dir} (see {@link TrainingLoop#resume}); the next
     * {@link #train} runs the remaining epochs.
     */
    public int resume(Path dir, boolean allowChanges) throws java.io.IOException {
        return loop.resume(dir, allowChanges);
    }

    /** Adds a progress listener. */
    public Solver listen(TrainingLoop.Listener l) {
        loop.listen(l);
        return this;
    }

    /** Trains for the configured epochs and restores the best parameters; returns the epochs' records. */
    public List<Epoch> train() {
        loop.train();
        return epochs();
    }

    private Tensor trainingBatch(int[] order, int from, int to) {
        float[] values = train.values(order, from, to);
        if (config.augmentation != null) {
            config.augmentation.apply(values, to - from, train.sampleShape(), rng);
        }
        return backend.fromArray(values, dtype, train.batchShape(to - from));
    }

    /** Fraction of {@code data} (a seeded sample of {@code samples}, or all when 0) that the model classifies right. */
    public double accuracy(Dataset data, int samples) {
        int n = data.count();
        int[] order = Training.range(n);
        int m = n;
        if (samples > 0 && samples < n) {
            shuffle(order);
            m = samples;
        }
        return accuracy(model, data, order, m, config.batchSize, backend, dtype);
    }

    /** Accuracy of {@code model} on the first {@code m} samples of {@code data} in {@code order}. */
    public static double accuracy(Model model, Dataset data, int[] order, int m, int batchSize, Backend backend,
                                  DType dtype) {
        int correct = 0;
        for (int from = 0; from < m; from += batchSize) {
            int to = Math.min(from + batchSize, m);
            int[] predicted = Predictions.argmax(model.scores(data.batch(backend, dtype, order, from, to)));
            int[] labels = data.labels(order, from, to);
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
        }
        return m == 0 ? 0 : correct / (double) m;
    }

    /** The update rule with its per-parameter state (data-parallel training averages that state across replicas). */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss of every iteration so far. */
    public List<Double> lossHistory() {
        return loop.lossHistory();
    }

    /** The record of every finished epoch. */
    public List<Epoch> epochs() {
        return loop.epochs().stream().map(r -> new Epoch(r.epoch(), r.loss(), r.metrics().get(TRAIN_ACC),
                r.metrics().get(VAL_ACC), r.learningRate(), r.seconds(), r.steps() * (double) config.batchSize
                / r.seconds())).toList();
    }

    /** The best validation accuracy seen. */
    public double bestValAcc() {
        return loop.bestEpoch() > 0 ? loop.best() : -1;
    }

    /** The epoch (1-based) that reached it. */
    public int bestEpoch() {
        return loop.bestEpoch();
    }

    /** Why training stopped before its last epoch (early stopping), or null. */
    public String stopReason() {
        return loop.stopReason();
    }

    private void shuffle(int[] a) {
        Training.shuffle(a, rng);
    }
}
