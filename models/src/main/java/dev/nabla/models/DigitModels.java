package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.util.ArrayList;
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

    /** The two networks. */
    public enum Kind {
        /** {@link TwoLayerNet}. */
        MLP,
        /** {@link ConvNet}. */
        CNN;

        /** Parses {@code mlp} or {@code cnn}. */
        public static Kind parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown model '" + s + "': choose mlp or cnn");
            }
        }
    }

    /** One point of the grid: hidden units, and for the CNN the filter size (0 for the MLP). */
    public record Choice(Kind kind, int hidden, int filterSize) {
        /** The hyper-parameters as a flat map, for reports. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", kind.name().toLowerCase(Locale.ROOT));
            m.put("hidden", hidden);
            if (kind == Kind.CNN) {
                m.put("num_filters", NUM_FILTERS);
                m.put("filter_size", filterSize);
            }
            m.put("weight_init", "he");
            m.put("reg", REG);
            return m;
        }

        @Override
        public String toString() {
            return kind == Kind.MLP ? "mlp hidden=" + hidden : "cnn filter=" + filterSize + " hidden=" + hidden;
        }
    }

    /** L2 regularization strength of both networks. */
    public static final double REG = 1e-4;

    /** The sweep: hidden {50, 100, 200, 500, 1000} for the MLP; filter {3, 5, 7} x hidden {100, 200, 500} for the CNN. */
    public static List<Choice> grid(Kind kind) {
        List<Choice> g = new ArrayList<>();
        if (kind == Kind.MLP) {
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

    /** The best configuration the sweep has found (see the README for the figures). */
    public static Choice best(Kind kind) {
        return kind == Kind.MLP ? new Choice(kind, 1000, 0) : new Choice(kind, 200, 5);
    }

    /**
     * Epochs of a training run unless told otherwise. The CNN's 8 leave the {@code nd4j} run well inside five
     * minutes on two cores; 10 scored 0.0005 higher on validation but took about 265 s there.
     */
    public static int defaultEpochs(Kind kind) {
        return kind == Kind.MLP ? 10 : 8;
    }

    /** A freshly initialized network for {@code choice}. */
    public static Model build(Choice choice, Backend backend, DType dtype, long seed) {
        if (choice.kind() == Kind.MLP) {
            return new TwoLayerNet(backend, dtype, new TwoLayerNet.Config(28 * 28, choice.hidden(), 10, 0, REG), seed);
        }
        return new ConvNet(backend, dtype, new ConvNet.Config(1, 28, 28, NUM_FILTERS, choice.filterSize(),
                choice.hidden(), 10, 0, REG), seed);
    }

    /**
     * The training recipe: Adam at 1e-3, decayed per epoch. The CNN also sees digits shifted by up to 2 pixels,
     * and what it keeps is an exponential moving average of its weights (decay 0.999), which scored about 0.1
     * points higher on validation than the last weights, on two seeds (README, digits).
     */
    public static Solver.Config training(Kind kind, int epochs, long seed) {
        return new Solver.Config()
                .augmentation(kind == Kind.CNN ? new RandomShift(2) : null)
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
