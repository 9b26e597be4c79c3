package dev.nabla.train;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.optim.Optimizer;
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
 * The training loop of PyTorch's transfer-learning tutorial ({@code train_model}) for data that
 * streams from a loader: each epoch a train phase (updates) and a val phase (no updates), each
 * reporting its mean loss and accuracy; the learning rate is multiplied by {@code gamma} every
 * {@code stepSize} epochs (PyTorch's {@code StepLR}); the weights of the best val accuracy are
 * restored at the end. For in-memory sets with the course's options, use {@link Solver}.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Options with the tutorial's defaults: 25 epochs, SGD lr 0.001 momentum 0.9, x0.1 every 7 epochs. */
    public static final class Config {
        int epochs = 25;
        String updateRule = "sgd_momentum";
        double learningRate = 1e-3;
        int stepSize = 7;
        double gamma = 0.1;
        final Map<String, Double> lrScales = new LinkedHashMap<>();
        int patience;
        double minDelta;
        java.nio.file.Path checkpointDir;
        int keepCheckpoints;

        /** Passes over the training set. */
        public Config epochs(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("Trainer.epochs must be at least 1, got " + v);
            }
            this.epochs = v;
            return this;
        }

        /** {@code sgd}, {@code sgd_momentum} (momentum 0.9), {@code rmsprop} or {@code adam}. */
        public Config updateRule(String v) {
            Optimizer.named(v, 1); // an unknown name fails here, not after the first epoch
            this.updateRule = v;
            return this;
        }

        /** The initial learning rate. */
        public Config learningRate(double v) {
            this.learningRate = v;
            return this;
        }

        /** Multiply the learning rate by {@code gamma} after every {@code stepSize} epochs. */
        public Config stepLr(int stepSize, double gamma) {
            if (stepSize < 1 || !(gamma > 0)) {
                throw new IllegalArgumentException("Trainer.stepLr needs stepSize >= 1 and gamma > 0, got "
                        + stepSize + ", " + gamma);
            }
            this.stepSize = stepSize;
            this.gamma = gamma;
            return this;
        }

        /** Parameter {@code name} learns at {@code factor} times the learning rate (see {@link Optimizer#setLearningRateScale}). */
        public Config learningRateScale(String name, double factor) {
            lrScales.put(name, factor);
            return this;
        }

        /** Stop after {@code epochs} epochs without the val accuracy rising by more than {@code minDelta} (0: never). */
        public Config earlyStopping(int epochs, double minDelta) {
            TrainingLoop.Config.checkEarlyStopping(epochs, minDelta);
            this.patience = epochs;
            this.minDelta = minDelta;
            return this;
        }

        /** Folder of a checkpoint after every epoch, to resume from (null: none), keeping the last {@code keep} (0: all). */
        public Config checkpoints(java.nio.file.Path dir, int keep) {
            this.checkpointDir = dir;
            this.keepCheckpoints = TrainingLoop.Config.checkKeep(keep);
            return this;
        }

        /** The options as a flat map, for reports. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("update_rule", updateRule);
            m.put("learning_rate", learningRate);
            m.put("step_size", stepSize);
            m.put("gamma", gamma);
            return m;
        }
    }

    /** One phase's figures: mean loss per sample, accuracy, samples, seconds. */
    public record Phase(double loss, double accuracy, int samples, double seconds) {
    }

    /** One finished epoch: its learning rate and both phases. */
    public record Epoch(int epoch, double learningRate, Phase train, Phase val) {
    }

    private final Model model;
    private final Config config;
    private final Optimizer optimizer;
    private final Backend backend;
    private final DType dtype;
    private TrainingLoop loop;
    private final List<TrainingLoop.Listener> listeners = new ArrayList<>();

    /** A trainer of {@code model}'s trainable parameters ({@link Model#params}). */
    public Trainer(Model model, Config config) {
        if (model.params().isEmpty()) {
            throw new IllegalArgumentException("Trainer: the model has no trainable parameters");
        }
        this.model = model;
        this.config = config;
        this.optimizer = Optimizer.named(config.updateRule, config.learningRate);
        config.lrScales.forEach(optimizer::setLearningRateScale);
        Tensor any = model.params().values().iterator().next();
        this.backend = any.backend();
        this.dtype = any.dtype();
    }

    /** The train phase's running figures of the epoch in progress. */
    private final class Running {
        double lossSum;
        int correct;
        int samples;
        long start = System.nanoTime();

        Phase phase() {
            return new Phase(lossSum / samples, correct / (double) samples, samples, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Runs every epoch, then restores the parameters of the best val accuracy; returns the history. */
    public List<Epoch> train(BatchSource train, BatchSource val) {
        try {
            return train(train, val, null, false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // no resume, so no reading
        }
    }

    /**
     * As {@link #train(BatchSource, BatchSource)}, continuing from the last complete checkpoint in {@code resume}
     * (null: from the start); see {@link TrainingLoop#resume}.
     */
    public List<Epoch> train(BatchSource train, BatchSource val, java.nio.file.Path resume, boolean allowChanges)
            throws java.io.IOException {
        Running[] running = {null};
        TrainingLoop.Epochs epochs = new TrainingLoop.Epochs() {
            @Override
            public int steps() {
                return -1;
            }

            @Override
            public Iterator<TrainingLoop.Step> epoch(int epoch) {
                running[0] = new Running();
                Iterator<Batch> batches = train.epoch(epoch);
                return new Steps(batches, b -> () -> trainStep(b, running[0]));
            }
        };
        TrainingLoop.Evaluation evaluation = epoch -> {
            Map<String, Double> m = new java.util.HashMap<>();
            put(m, "train", running[0].phase());
            put(m, "val", run(val, epoch));
            return m;
        };
        // The loader's order and augmentation follow from (seed, epoch) alone, so nothing else needs checkpointing.
        TrainingLoop.Config loopConfig = new TrainingLoop.Config().epochs(config.epochs)
                .schedule((e, lr) -> e % config.stepSize == 0 ? lr * config.gamma : lr).best("val_acc", true)
                .earlyStopping(config.patience, config.minDelta).checkpointDir(config.checkpointDir)
                .keepCheckpoints(config.keepCheckpoints)
                .throughput("batches", 1).description(config.describe());
        loop = new TrainingLoop(model, optimizer, loopConfig, epochs, evaluation, Map.of());
        listeners.forEach(loop::listen);
        if (resume != null) {
            loop.resume(resume, allowChanges);
        }
        loop.train();
        LOG.info(String.format(Locale.ROOT, "Best val acc %.4f at epoch %d (weights restored)", bestValAcc(),
                bestEpoch()));
        return history();
    }

    private static void put(Map<String, Double> m, String phase, Phase p) {
        m.put(phase + "_loss", p.loss());
        m.put(phase + "_acc", p.accuracy());
        m.put("_" + phase + "_samples", (double) p.samples());
        m.put("_" + phase + "_seconds", p.seconds());
    }

    private static Phase phase(Map<String, Double> m, String phase) {
        return new Phase(m.get(phase + "_loss"), m.get(phase + "_acc"), m.get("_" + phase + "_samples").intValue(),
                m.get("_" + phase + "_seconds"));
    }

    /** One update on batch {@code b}; its running accuracy comes from the forward pass before the step, as the tutorial's. */
    private Model.Loss trainStep(Batch b, Running r) {
        Tensor x = backend.fromArray(b.x(), dtype, b.shape());
        Model.Loss l = model.loss(x, b.y());
        Tensor scores = l.scores() != null ? l.scores() : model.scores(x);
        int[] predicted = Predictions.argmax(scores);
        scores.close();
        x.close();
        r.lossSum += l.value() * b.size();
        for (int i = 0; i < predicted.length; i++) {
            r.correct += predicted[i] == b.y()[i] ? 1 : 0;
        }
        r.samples += b.size();
        return l;
    }

    /** One evaluation pass over {@code data}: mean loss and accuracy, no updates. */
    private Phase run(BatchSource data, int epoch) {
        long t0 = System.nanoTime();
        double lossSum = 0;
        int correct = 0;
        int samples = 0;
        Iterator<Batch> it = data.epoch(epoch);
        try {
            while (it.hasNext()) {
                Batch b = it.next();
                Tensor x = backend.fromArray(b.x(), dtype, b.shape());
                Tensor scores = model.scores(x);
                SoftmaxLoss.Result r = SoftmaxLoss.forwardBackward(scores, b.y());
                int[] predicted = Predictions.argmax(scores);
                r.dscores().close();
                scores.close();
                x.close();
                lossSum += r.loss() * b.size();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == b.y()[i] ? 1 : 0;
                }
                samples += b.size();
            }
        } finally {
            Steps.close(it);
        }
        if (samples == 0) {
            throw new IllegalArgumentException("Trainer: the val loader gave no batches in epoch " + epoch);
        }
        return new Phase(lossSum / samples, correct / (double) samples, samples, (System.nanoTime() - t0) / 1e9);
    }

    /** Adds a progress listener (per step and per epoch). */
    public Trainer listen(TrainingLoop.Listener l) {
        listeners.add(l);
        return this;
    }

    /** Every finished epoch. */
    public List<Epoch> history() {
        return loop == null ? List.of() : loop.epochs().stream().map(r -> new Epoch(r.epoch(), r.learningRate(),
                phase(r.metrics(), "train"), phase(r.metrics(), "val"))).toList();
    }

    /** Why training stopped before its last epoch (early stopping), or null. */
    public String stopReason() {
        return loop == null ? null : loop.stopReason();
    }

    /** The best val accuracy seen. */
    public double bestValAcc() {
        return loop == null || loop.bestEpoch() < 0 ? -1 : loop.best();
    }

    /** The epoch (1-based) that reached it. */
    public int bestEpoch() {
        return loop == null ? -1 : loop.bestEpoch();
    }
}
