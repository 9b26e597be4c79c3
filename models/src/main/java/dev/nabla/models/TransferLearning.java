package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.data.BatchLoader;
import dev.nabla.data.ImageFolder;
import dev.nabla.data.ImagePreprocessing;
import dev.nabla.train.Batch;
import dev.nabla.train.BatchSource;
import dev.nabla.train.Predictions;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The course's transfer-learning question on an image folder (train/ and val/, one sub-folder per
 * class): the pretrained MobileNetV2 with a new classifier, either fine-tuned as a whole or with its
 * features frozen, trained by {@link Trainer} (PyTorch's {@code train_model}) with random resized
 * crops and flips, evaluated on centre crops.
 */
public final class TransferLearning {
    private static final Logger LOG = LoggerFactory.getLogger(TransferLearning.class);

    private TransferLearning() {
    }

    /** The two scenarios of the course. */
    public enum Mode {
        /** Every layer trained, starting from the pretrained weights. */
        FINETUNE,
        /** Only the new classifier trained; the features are frozen and cost a forward pass. */
        FREEZE;

        /** {@code finetune} or {@code freeze}, any case. */
        public static Mode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "finetune" -> FINETUNE;
                case "freeze" -> FREEZE;
                default -> throw new IllegalArgumentException("Unknown mode '" + s + "'; choose finetune or freeze");
            };
        }

        /** The lower-case name used on the command line and in reports. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Training options; {@link #tutorial()} gives the PyTorch tutorial's. */
    public record Options(int epochs, int batchSize, double learningRate, double featuresLrScale, int stepSize,
                          double gamma, long seed, int loaderThreads) {
        /**
         * 25 epochs, batch 4, SGD lr 0.001 momentum 0.9, x0.1 every 7 epochs, seed 0, one decoding thread;
         * when fine-tuning, the pretrained features learn at 0.1 x lr (see {@link #FEATURES_LR_SCALE}).
         */
        public static Options tutorial() {
            return new Options(25, 4, 1e-3, FEATURES_LR_SCALE, 7, 0.1, 0, 1);
        }

        /** The same options with another epoch count. */
        public Options withEpochs(int e) {
            return new Options(e, batchSize, learningRate, featuresLrScale, stepSize, gamma, seed, loaderThreads);
        }
    }

    /**
     * The default factor on the learning rate of the pretrained layers when fine-tuning. Our
     * MobileNetV2 has its batch norms folded into the convolutions, so nothing renormalises the
     * activations while the weights move: at the tutorial's lr 0.001 for every layer (which suits
     * its ResNet-18 with live batch norm) fine-tuning wrecked the features in the first epoch (val
     * accuracy 0.46, chance), while the new head alone learns well at that rate.
     */
    public static final double FEATURES_LR_SCALE = 0.1;

    /** A validation image with the trained model's prediction. */
    public record Prediction(Path image, int predicted, int actual) {
    }

    /** One scenario's outcome: the per-epoch history, the best val accuracy and the restored model's predictions. */
    public record Result(Mode mode, List<String> classes, List<Trainer.Epoch> history, double bestValAcc,
                         int bestEpoch, double seconds, List<Prediction> predictions, int trainImages,
                         int valImages) {
        /** Accuracy of {@link #predictions} (the restored best weights on the whole val set). */
        public double valAccuracy() {
            return predictions.stream().filter(p -> p.predicted() == p.actual()).count() / (double) predictions.size();
        }
    }

    /**
     * Trains one scenario on {@code dataRoot/train}, validating on {@code dataRoot/val}, from the pretrained
     * network in the ONNX file {@code modelFile} with its image pipeline {@code prep}; returns the history and the
     * val predictions of the restored best weights.
     */
    public static Result run(Path modelFile, ImagePreprocessing prep, Path dataRoot, Backend be, Mode mode, Options o)
            throws IOException {
        List<String> classes = ImageFolder.scan(dataRoot.resolve("train")).classes();
        return run(model(modelFile, be, classes.size(), mode, o.seed()), prep, dataRoot, mode, o);
    }

    /**
     * The pretrained network of the ONNX file {@code modelFile} (FLOAT32) with a new {@code classes}-way classifier
     * in place of its last linear layer, its features frozen in FREEZE mode.
     */
    public static MobileNetV2 model(Path modelFile, Backend be, int classes, Mode mode, long seed) throws IOException {
        MobileNetV2 net = MobileNetV2.load(modelFile, be, DType.FLOAT32).withClassifier(classes, seed);
        net.freezeFeatures(mode == Mode.FREEZE);
        return net;
    }

    /** Trains {@code net} (made by {@link #model}) as {@link #run(Path, ImagePreprocessing, Path, Backend, Mode, Options)} describes. */
    public static Result run(MobileNetV2 net, ImagePreprocessing prep, Path dataRoot, Mode mode, Options o)
            throws IOException {
        return run(net, prep, dataRoot, mode, o, Control.NONE);
    }

    /**
     * Checkpoints, resume and early stopping of a run: a checkpoint folder (null: none) keeping the last {@code keep}
     * (0: all), a checkpoint folder to resume from (null: start afresh) and whether it may have been written with other
     * options, early stopping's patience (0: none) and minimum improvement, and a progress listener (null: none).
     */
    public record Control(Path checkpoints, int keep, Path resume, boolean allowChanges, int patience,
                          double minDelta, dev.nabla.train.TrainingLoop.Listener listener) {
        /** No checkpoints, no resume, no early stopping, no progress. */
        public static final Control NONE = new Control(null, 0, null, false, 0, 0, null);
    }

    /** As {@link #run(MobileNetV2, ImagePreprocessing, Path, Mode, Options)}, with checkpoints, resume and early stopping. */
    public static Result run(MobileNetV2 net, ImagePreprocessing prep, Path dataRoot, Mode mode, Options o, Control c)
            throws IOException {
        ImageFolder train = ImageFolder.scan(dataRoot.resolve("train"));
        ImageFolder val = ImageFolder.scan(dataRoot.resolve("val"));
        if (!train.classes().equals(val.classes()) || train.classes().size() != net.classes()) {
            throw new IllegalArgumentException("TransferLearning: " + train.root() + " has classes " + train.classes()
                    + ", " + val.root() + " has " + val.classes() + " and the network scores " + net.classes());
        }
        Backend be = net.params().values().iterator().next().backend();
        LOG.info("{}: {} trainable parameter tensors, {} train / {} val images, classes {}", mode.id(),
                net.params().size(), train.size(), val.size(), train.classes());

        long start = System.nanoTime();
        List<BatchLoader.Batch> valBatches = load(BatchLoader.evaluation(val, prep, o.batchSize(), o.loaderThreads()));
        Trainer.Config config = new Trainer.Config().epochs(o.epochs()).updateRule("sgd_momentum")
                .learningRate(o.learningRate()).stepLr(o.stepSize(), o.gamma()).checkpoints(c.checkpoints(), c.keep())
                .earlyStopping(c.patience(), c.minDelta());
        for (String name : net.params().keySet()) {
            if (!net.isClassifierParam(name)) {
                config.learningRateScale(name, o.featuresLrScale());
            }
        }
        Trainer trainer = new Trainer(net, config);
        if (c.listener() != null) {
            trainer.listen(c.listener());
        }
        List<Trainer.Epoch> history;
        try (BatchLoader trainLoader = BatchLoader.training(train, prep, o.batchSize(), o.seed(), o.loaderThreads())) {
            // Epochs are 1-based in the trainer and 0-based in the loader.
            BatchSource trainSource = e -> adapt(trainLoader.epoch(e - 1).iterator());
            BatchSource valSource = e -> adapt(valBatches.iterator());
            history = trainer.train(trainSource, valSource, c.resume(), c.allowChanges());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Prediction> predictions = new ArrayList<>();
        for (BatchLoader.Batch b : valBatches) {
            Tensor x = be.fromArray(b.x(), DType.FLOAT32, b.shape());
            Tensor scores = net.scores(x);
            int[] p = Predictions.argmax(scores);
            scores.close();
            x.close();
            for (int i = 0; i < p.length; i++) {
                predictions.add(new Prediction(b.paths().get(i), p[i], b.labels()[i]));
            }
        }
        return new Result(mode, train.classes(), history, trainer.bestValAcc(), trainer.bestEpoch(), seconds,
                predictions, train.size(), val.size());
    }

    /** Every batch of one pass, kept in memory: the val set is small and is decoded once, not every epoch. */
    private static List<BatchLoader.Batch> load(BatchLoader loader) {
        try (loader) {
            List<BatchLoader.Batch> out = new ArrayList<>();
            loader.epoch(0).forEach(out::add);
            return out;
        }
    }

    private static Iterator<Batch> adapt(Iterator<BatchLoader.Batch> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Batch next() {
                BatchLoader.Batch b = it.next();
                return new Batch(b.x(), b.shape(), b.labels());
            }
        };
    }
}
