package dev.nabla.train;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Minibatch training of a captioning model, as the course's {@code CaptioningSolver}: each iteration takes
 * a minibatch of captions with the features of their images, computes the loss and its gradients, and
 * updates every parameter with the configured rule; the learning rate decays after every epoch.
 *
 * <p>Options come from {@link Solver.Config}: update rule, learning rate, lr decay, epochs, batch size,
 * print every, checkpoint folder (one {@code epoch_NNN/} per epoch, written atomically) and seed. An epoch
 * visits every caption once in a fresh seeded order ({@code max(N / batch, 1)} iterations, so 50 captions
 * in batches of 25 for 50 epochs are the course's 100 iterations). There is no validation accuracy here
 * (captioning has none); the parameters at the end are the trained ones. A NaN or infinite loss stops
 * training with an error naming the iteration. With the same seed and backend a run repeats.
 */
public final class CaptioningSolver {
    private static final Logger LOG = LoggerFactory.getLogger(CaptioningSolver.class);

    /**
     * The training data in the course's layout.
     *
     * @param features row-major (images, featureDim)
     * @param captions (N, T+1) word ids
     * @param imageIdxs the feature row of each caption
     */
    public record Data(float[] features, int featureDim, int[][] captions, int[] imageIdxs) {
        /** Checks that the parts line up. */
        public Data {
            if (captions.length == 0 || captions.length != imageIdxs.length || featureDim < 1
                    || features.length % featureDim != 0) {
                throw new IllegalArgumentException("CaptioningSolver.Data: " + captions.length + " captions, "
                        + imageIdxs.length + " image indices, " + features.length + " feature values of dimension "
                        + featureDim + ": need as many indices as captions (at least one) and whole feature rows");
            }
            int images = features.length / featureDim;
            for (int i = 0; i < imageIdxs.length; i++) {
                if (imageIdxs[i] < 0 || imageIdxs[i] >= images) {
                    throw new IllegalArgumentException("CaptioningSolver.Data: caption " + i + " points at image "
                            + imageIdxs[i] + " but there are " + images + " feature rows");
                }
            }
        }
    }

    /** What one finished epoch measured. */
    public record Epoch(int epoch, double loss, double learningRate, double seconds, double captionsPerSecond) {
    }

    /** Called after every epoch (progress output, a validation measure); may be null. */
    @FunctionalInterface
    public interface EpochListener {
        /** The epoch just finished. */
        void epochDone(Epoch epoch);
    }

    private final CaptioningModel model;
    private final Data data;
    private final Solver.Config config;
    private final Optimizer optimizer;
    private Random rng;
    private final Backend backend;
    private final DType dtype;
    private EpochListener listener;
    private TrainingLoop.Evaluation evaluation;
    private String metric;
    private TrainingLoop loop;

    /** A solver for {@code model} on {@code data}; the config's augmentation and accuracy samples do not apply. */
    public CaptioningSolver(CaptioningModel model, Data data, Solver.Config config) {
        if (config.augmentation != null) {
            throw new IllegalArgumentException("CaptioningSolver: an augmentation of images does not apply to "
                    + "captioning features; leave it unset");
        }
        this.model = model;
        this.data = data;
        this.config = config;
        this.optimizer = Optimizer.named(config.updateRule, config.learningRate);
        this.rng = new Random(config.seed);
        Tensor any = model.params().values().iterator().next();
        this.backend = any.backend();
        this.dtype = any.dtype();
    }

    /** Sets the per-epoch listener. */
    public CaptioningSolver onEpoch(EpochListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Measures the model after every epoch (e.g. BLEU on a dev split) and keeps the parameters of the epoch with the
     * largest {@code metric}, restored at the end (without, the last epoch's parameters are kept).
     */
    public CaptioningSolver evaluateWith(TrainingLoop.Evaluation e, String metricName) {
        this.evaluation = e;
        this.metric = metricName;
        return this;
    }

    /** Continues from the last complete checkpoint in {@code dir} (see {@link TrainingLoop#resume}). */
    public int resume(java.nio.file.Path dir, boolean allowChanges) throws java.io.IOException {
        return loop().resume(dir, allowChanges);
    }

    private TrainingLoop loop() {
        if (loop != null) {
            return loop;
        }
        int n = data.captions().length;
        int batch = Math.min(config.batchSize, n);
        int perEpoch = Math.max(n / batch, 1);
        int[] order = Training.range(n);
        TrainingLoop.Epochs epochs = Training.shuffled(order, () -> rng, perEpoch,
                b -> () -> step(order, b * batch, b * batch + batch));
        TrainingLoop.Config c = new TrainingLoop.Config().epochs(config.epochs)
                .schedule((e, lr) -> lr * config.lrDecay).checkpointDir(config.checkpointDir)
                .printEvery(config.printEvery).earlyStopping(config.patience, config.minDelta)
                .divergence(config.divergence).throughput("captions", batch).description(config.describe())
                .keepCheckpoints(config.keepCheckpoints);
        if (metric != null) {
            c.best(metric, true);
        }
        loop = new TrainingLoop(model, optimizer, c, epochs, evaluation,
                Map.of("solver_rng", Training.stateOf(() -> rng, r -> rng = r), "order", Training.stateOf(order)));
        if (listener != null) {
            loop.listen(new TrainingLoop.Listener() {
                @Override
                public void epochDone(TrainingLoop.EpochResult r) {
                    listener.epochDone(record(r));
                }
            });
        }
        return loop;
    }

    /** Adds a progress listener. */
    public CaptioningSolver listen(TrainingLoop.Listener l) {
        loop().listen(l);
        return this;
    }

    /** Trains for the configured epochs; returns the epochs' records. */
    public List<Epoch> train() {
        loop().train();
        return epochs();
    }

    private Epoch record(TrainingLoop.EpochResult r) {
        return new Epoch(r.epoch(), r.loss(), r.learningRate(), r.seconds(), r.steps()
                * (double) Math.min(config.batchSize, data.captions().length) / r.seconds());
    }

    /** One update's loss on captions {@code order[from..to)}. */
    private Model.Loss step(int[] order, int from, int to) {
        int m = to - from;
        int d = data.featureDim();
        int[][] captions = new int[m][];
        float[] x = new float[m * d];
        for (int i = 0; i < m; i++) {
            int k = order[from + i];
            captions[i] = data.captions()[k];
            System.arraycopy(data.features(), data.imageIdxs()[k] * d, x, i * d, d);
        }
        Tensor features = backend.fromArray(x, dtype, Shape.of(m, d));
        Model.Loss loss = model.loss(features, captions);
        features.close();
        return loss;
    }

    /** The epoch whose parameters were kept by {@link #evaluateWith}'s metric, or -1. */
    public int bestEpoch() {
        return loop == null ? -1 : loop.bestEpoch();
    }

    /** The best value of that metric. */
    public double best() {
        return loop == null ? Double.NaN : loop.best();
    }

    /** Why training stopped before its last epoch (early stopping), or null. */
    public String stopReason() {
        return loop == null ? null : loop.stopReason();
    }

    /** The loss of every iteration so far. */
    public List<Double> lossHistory() {
        return loop == null ? List.of() : loop.lossHistory();
    }

    /** The record of every finished epoch. */
    public List<Epoch> epochs() {
        return loop == null ? List.of() : loop.epochs().stream().map(this::record).toList();
    }
}
