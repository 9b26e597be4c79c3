package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.module.Classifier;
import dev.nabla.module.Summary;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MNIST digit classifiers of the course: which networks, which grid the validation sweep
 * searches, the best configuration found so far, and the training recipe. Images are 1x28x28, 10 classes.
 */
public final class DigitModels {
    /** Filters of the CNN's convolution; the course fixes it and sweeps filter size and hidden units. */
    public static final int NUM_FILTERS = 32;

    private DigitModels() {
    }

    /** The networks. */
    public enum Kind {
        /** {@link TwoLayerNet}. */
        MLP,
        /** {@link ConvNet}. */
        CNN,
        /** {@link BatchNormCnn}: batch norm and dropout. */
        BN_CNN;

        /** Parses {@code mlp}, {@code cnn} or {@code bn-cnn}. */
        public static Kind parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown model '" + s + "': choose mlp, cnn or bn-cnn");
            }
        }

        /** The name the command line uses: {@code mlp}, {@code cnn}, {@code bn-cnn}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One point of the grid: hidden units, and for the CNN the filter size (0 for the MLP). */
    public record Choice(Kind kind, int hidden, int filterSize) implements java.io.Serializable {
        /** The hyper-parameters as a flat map, for reports. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", kind.id());
            m.put("hidden", hidden);
            if (kind == Kind.CNN) {
                m.put("num_filters", NUM_FILTERS);
                m.put("filter_size", filterSize);
            }
            if (kind == Kind.BN_CNN) {
                m.put("channels", Arrays.toString(BatchNormCnn.CHANNELS));
                m.put("filter_size", filterSize);
            }
            m.put("weight_init", "he");
            m.put("reg", REG);
            return m;
        }

        /**
         * The built network's layers for one image: their parameters and multiply-adds (convolution, linear and
         * batch-norm layers), the cost that {@link #choose} prefers small, since the backward pass costs about twice
         * as much again.
         */
        public Summary summary(Backend backend) {
            return ((Classifier) build(this, backend, DType.FLOAT32, 0)).network().summary(Shape.of(1, 1, 28, 28));
        }

        private ConvNet.Config convConfig() {
            return new ConvNet.Config(1, 28, 28, NUM_FILTERS, filterSize, hidden, 10, 0, REG);
        }

        @Override
        public String toString() {
            return kind == Kind.MLP ? "mlp hidden=" + hidden : kind.id() + " filter=" + filterSize + " hidden=" + hidden;
        }
    }

    /** L2 regularization strength of both networks. */
    public static final double REG = 1e-4;

    /**
     * The sweep: hidden {50, 100, 200, 500, 1000} for the MLP; filter {3, 5, 7} x hidden {100, 200, 500} for the CNN;
     * hidden {64, 128, 256} for the batch-norm CNN.
     */
    public static List<Choice> grid(Kind kind) {
        List<Choice> g = new ArrayList<>();
        if (kind == Kind.BN_CNN) {
            for (int h : new int[] {64, 128, 256}) {
                g.add(new Choice(kind, h, 3));
            }
        } else if (kind == Kind.MLP) {
            for (int h : new int[] {50, 100, 200, 500, 1000}) {
                g.add(new Choice(kind, h, 0));
            }
        } else {
            for (int k : new int[] {3, 5, 7}) {
                for (int h : new int[] {100, 200, 500}) {
                    g.add(new Choice(kind, h, k));
                }
            }
        }
        return g;
    }

    /**
     * Which configuration a sweep keeps: the cheapest network (fewest multiply-adds per image, {@link Choice#summary})
     * whose validation accuracy is within one standard error of the best one, the "one-standard-error rule"
     * (Hastie, Tibshirani and Friedman, The Elements of Statistical Learning, 7.10). On {@code valCount}
     * images an accuracy p is known to about sqrt(p (1 - p) / valCount), 0.0008 at 0.993 on 10,000:
     * networks closer than that are not told apart by the validation set, and the cheaper one trains and
     * runs faster.
     *
     * Of equally cheap networks the first listed is kept.
     *
     * @return the index into {@code choices}
     */
    public static int choose(List<Choice> choices, double[] valAcc, int valCount, Backend backend) {
        if (choices.isEmpty() || choices.size() != valAcc.length || valCount < 1
                || Arrays.stream(valAcc).anyMatch(a -> !(a >= 0 && a <= 1))) {
            throw new IllegalArgumentException("DigitModels.choose: " + choices.size() + " choices, accuracies "
                    + Arrays.toString(valAcc) + " (each must be in [0, 1]), " + valCount + " validation images");
        }
        double best = Arrays.stream(valAcc).max().orElseThrow();
        double threshold = best - standardError(best, valCount);
        long[] cost = choices.stream().mapToLong(c -> c.summary(backend).multiplyAdds()).toArray();
        int chosen = -1;
        for (int i = 0; i < valAcc.length; i++) {
            if (valAcc[i] >= threshold && (chosen < 0 || cost[i] < cost[chosen])) {
                chosen = i;
            }
        }
        return chosen;
    }

    /** Standard error of an accuracy {@code acc} measured on {@code count} images. */
    public static double standardError(double acc, int count) {
        return Math.sqrt(acc * (1 - acc) / count);
    }

    /** The configuration the sweep chose ({@link #choose}; see the README for the figures). */
    public static Choice best(Kind kind) {
        return switch (kind) {
            case MLP -> new Choice(kind, 1000, 0);
            case CNN -> new Choice(kind, 200, 5);
            case BN_CNN -> new Choice(kind, 128, 3);
        };
    }

    /**
     * Epochs of a training run unless told otherwise. The CNN's 8 leave the {@code nd4j} run well inside five
     * minutes on two cores; 10 scored 0.0006 higher on validation (0.9932 against 0.9926, seed 0) but its
     * training alone took 241 s there.
     */
    public static int defaultEpochs(Kind kind) {
        return kind == Kind.MLP ? 10 : 8;
    }

    /** A freshly initialized network for {@code choice}. */
    public static Model build(Choice choice, Backend backend, DType dtype, long seed) {
        return switch (choice.kind()) {
            case MLP -> new TwoLayerNet(backend, dtype, new TwoLayerNet.Config(28 * 28, choice.hidden(), 10, 0, REG),
                    seed);
            case CNN -> new ConvNet(backend, dtype, choice.convConfig(), seed);
            case BN_CNN -> new BatchNormCnn(backend, dtype, choice.hidden(), REG, seed);
        };
    }

    /**
     * The training recipe: Adam at 1e-3, decayed per epoch. The CNN also sees digits shifted by up to 2 pixels,
     * and what it evaluates and keeps is an exponential moving average of its weights (decay 0.999; with the
     * warm-up of {@link dev.nabla.train.ExponentialMovingAverage} that is 0.991 after the first of its 1,000-step
     * epochs and 0.9989 after the eighth). On validation the average scored 0.9930 and 0.9927 on two seeds
     * where the weights themselves scored 0.9919 and 0.9919 (10 epochs; docs/results/digits-recipe.md). The batch-norm
     * CNN trains as the CNN but keeps its own weights: an average of the weights would not match the running
     * statistics that the live weights produced.
     */
    public static Solver.Config training(Kind kind, int epochs, long seed) {
        return new Solver.Config()
                .augmentation(kind != Kind.MLP ? new RandomShift(2) : null)
                .ema(kind == Kind.CNN ? 0.999 : 0)
                .updateRule("adam")
                .learningRate(1e-3)
                .lrDecay(0.8)
                .batchSize(kind == Kind.MLP ? 100 : 50)
                .epochs(epochs)
                .numTrainSamples(2000)
                .printEvery(0)
                .seed(seed);
    }
}
