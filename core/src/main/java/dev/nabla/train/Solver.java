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
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("Solver.ema: decay must be in [0, 1), got " + decay);
            }
            this.emaDecay = decay;
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
    private final Random rng;
    private final Backend backend;
    private final DType dtype;

    private final List<Double> lossHistory = new ArrayList<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private double bestValAcc = -1;
    private int bestEpoch = -1;
    private Map<String, Tensor> bestParams;
    private ExponentialMovingAverage ema;

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
    }

    /** Trains for the configured epochs and restores the best parameters; returns the epochs' records. */
    public List<Epoch> train() {
        ema = config.emaDecay > 0 ? new ExponentialMovingAverage(model.params(), config.emaDecay) : null;
        try {
            trainEpochs();
        } finally {
            if (ema != null) {
                ema.close();
                ema = null;
            }
        }
        restoreBest();
        return Collections.unmodifiableList(epochs);
    }

    private void trainEpochs() {
        int n = train.count();
        int perEpoch = Math.max(n / config.batchSize, 1);
        int total = perEpoch * config.epochs;
        int[] order = Training.range(n);
        long start = System.nanoTime();
        for (int e = 1; e <= config.epochs; e++) {
            long epochStart = System.nanoTime();
            shuffle(order);
            int epoch = e;
            double epochLoss = Training.epoch(perEpoch, (e - 1) * perEpoch, total, config.printEvery, (b, it) -> {
                int from = b * config.batchSize;
                int to = Math.min(from + config.batchSize, n);
                return step(trainingBatch(order, from, to), train.labels(order, from, to), it, epoch);
            }, lossHistory, LOG);
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double lr = optimizer.learningRate();
            optimizer.setLearningRate(lr * config.lrDecay);
            Epoch rec;
            Map<String, Tensor> live = null;
            try {
                if (ema != null) { // evaluate, keep and checkpoint the average; train on from the live weights
                    live = Training.snapshot(model.params());
                    Training.assign(model.params(), ema.average());
                }
                rec = evaluate(e, epochLoss, lr, seconds, perEpoch * (double) config.batchSize / seconds);
            } finally {
                if (live != null) {
                    Training.assign(model.params(), live);
                    Training.close(live);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            LOG.info(String.format(Locale.ROOT,
                    "(Epoch %d / %d) loss %.4f, train acc %.4f, val acc %.4f%s, %.0f images/s, lr %.2e, ETA %s",
                    e, config.epochs, rec.loss(), rec.trainAcc(), rec.valAcc(),
                    ema != null ? " (averaged weights)" : "", rec.imagesPerSecond(), lr,
                    Training.eta(elapsed / e * (config.epochs - e))));
        }
    }

    /** Measures the model's weights after an epoch, keeps them if they are the best so far, checkpoints them. */
    private Epoch evaluate(int e, double epochLoss, double lr, double seconds, double imagesPerSecond) {
        double trainAcc = accuracy(train, config.numTrainSamples);
        double valAcc = accuracy(val, config.numValSamples);
        Epoch rec = new Epoch(e, epochLoss, trainAcc, valAcc, lr, seconds, imagesPerSecond);
        epochs.add(rec);
        if (valAcc > bestValAcc) {
            bestValAcc = valAcc;
            bestEpoch = e;
            Training.close(bestParams);
            bestParams = Training.snapshot(model.state());
        }
        if (config.checkpointDir != null) {
            writeCheckpoint(rec);
        }
        return rec;
    }

    private Tensor trainingBatch(int[] order, int from, int to) {
        float[] values = train.values(order, from, to);
        if (config.augmentation != null) {
            config.augmentation.apply(values, to - from, train.sampleShape(), rng);
        }
        return backend.fromArray(values, dtype, train.batchShape(to - from));
    }

    /** One update; a NaN or infinite loss stops training before the weights change. */
    private double step(Tensor x, int[] y, int iteration, int epoch) {
        Model.Loss loss = model.loss(x, y);
        Training.requireFinite(loss.value(), iteration, epoch, optimizer.learningRate());
        Training.update(optimizer, model.params(), loss);
        if (ema != null) {
            ema.update(model.params());
        }
        return loss.value();
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
        return Collections.unmodifiableList(lossHistory);
    }

    /** The record of every finished epoch. */
    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The best validation accuracy seen. */
    public double bestValAcc() {
        return bestValAcc;
    }

    /** The epoch (1-based) that reached it. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The parameters after an epoch, as {@code <checkpointDir>/epoch_NNN/} (see {@link dev.nabla.io.ParamStore}). */
    private void writeCheckpoint(Epoch rec) {
        // "weights" says which weights the arrays are: the step-by-step ones, or their moving average
        // (then the loss is still the live weights' training loss, and the accuracies are the average's).
        String weights = ema == null ? "\"live\"" : "\"ema\", \"ema_decay\": " + config.emaDecay;
        String json = String.format(Locale.ROOT, "{\"format\": \"nabla-checkpoint/1\", \"epoch\": %d, \"loss\": %s, "
                + "\"train_acc\": %s, \"val_acc\": %s, \"learning_rate\": %s, \"weights\": %s}%n", rec.epoch(),
                rec.loss(), rec.trainAcc(), rec.valAcc(), rec.learningRate(), weights);
        Training.checkpoint(config.checkpointDir, rec.epoch(), model.state(), json);
    }

    private void restoreBest() {
        if (bestParams != null) {
            Training.assign(model.state(), bestParams);
        }
    }

    private void shuffle(int[] a) {
        Training.shuffle(a, rng);
    }
}
