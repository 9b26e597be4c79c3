package dev.nabla.train;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private final Random rng;
    private final Backend backend;
    private final DType dtype;
    private final List<Double> lossHistory = new ArrayList<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private EpochListener listener;

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

    /** Trains for the configured epochs; returns the epochs' records. */
    public List<Epoch> train() {
        int n = data.captions().length;
        int batch = Math.min(config.batchSize, n);
        int perEpoch = Math.max(n / batch, 1);
        int total = perEpoch * config.epochs;
        int[] order = Training.range(n);
        long start = System.nanoTime();
        for (int e = 1; e <= config.epochs; e++) {
            long epochStart = System.nanoTime();
            Training.shuffle(order, rng);
            int epoch = e;
            double epochLoss = Training.epoch(perEpoch, (e - 1) * perEpoch, total, config.printEvery,
                    (b, it) -> step(order, b * batch, b * batch + batch, it, epoch), lossHistory, LOG);
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double lr = optimizer.learningRate();
            optimizer.setLearningRate(lr * config.lrDecay);
            Epoch rec = new Epoch(e, epochLoss, lr, seconds, perEpoch * (double) batch / seconds);
            epochs.add(rec);
            if (config.checkpointDir != null) {
                Training.checkpoint(config.checkpointDir, e, model.params(), String.format(Locale.ROOT,
                        "{\"format\": \"nabla-checkpoint/1\", \"epoch\": %d, \"loss\": %s, \"learning_rate\": %s}%n",
                        e, rec.loss(), lr));
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            LOG.info(String.format(Locale.ROOT, "(Epoch %d / %d) loss %.4f, %.0f captions/s, lr %.2e, ETA %s", e,
                    config.epochs, rec.loss(), rec.captionsPerSecond(), lr,
                    Training.eta(elapsed / e * (config.epochs - e))));
            if (listener != null) {
                listener.epochDone(rec);
            }
        }
        return Collections.unmodifiableList(epochs);
    }

    /** One update on captions {@code order[from..to)}; a NaN or infinite loss stops before the weights change. */
    private double step(int[] order, int from, int to, int iteration, int epoch) {
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
        Training.requireFinite(loss.value(), iteration, epoch, optimizer.learningRate());
        Training.update(optimizer, model.params(), loss);
        features.close();
        loss.grads().values().forEach(Tensor::close);
        return loss.value();
    }

    /** The loss of every iteration so far. */
    public List<Double> lossHistory() {
        return Collections.unmodifiableList(lossHistory);
    }

    /** The record of every finished epoch. */
    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }
}
