package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.data.Mnist;
import dev.nabla.module.Classifier;
import dev.nabla.module.Summary;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training of one digit configuration as the sweep runs it: the network of a {@link DigitModels.Choice}, built
 * with the seed and trained with the recipe ({@link DigitModels#training}) on the training set, its epoch chosen on
 * the validation set. One call per configuration, whether the sweep runs here or as Spark tasks.
 */
public final class DigitTraining {
    private DigitTraining() {
    }

    /** Changes to the recipe from the command line; a null field keeps the recipe's value. */
    public record Overrides(Double learningRate, Double lrDecay, Double ema) implements Serializable {
        /** No change. */
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    /** What training one configuration gave: the trained model (best epoch restored) and its records. */
    public record Result(DigitModels.Choice choice, Model model, Summary summary, Solver.Config config, double valAcc,
                         int bestEpoch, List<Solver.Epoch> epochs, List<Double> lossHistory, double seconds) {
        /** The train accuracy (on the sampled images) of the kept epoch. */
        public double trainAcc() {
            return epochs.get(bestEpoch - 1).trainAcc();
        }

        /** The configuration's row of {@code results.json}. */
        public Map<String, Object> row() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("params", choice.describe());
            r.put("parameters", summary.parameters());
            r.put("multiply_adds", summary.multiplyAdds());
            r.put("training", config.describe());
            r.put("train_acc", trainAcc());
            r.put("val_acc", valAcc);
            r.put("best_epoch", bestEpoch);
            r.put("epochs", epochs.size());
            r.put("seconds", seconds);
            r.put("history", epochs);
            return r;
        }
    }

    /** The recipe of {@code choice} for {@code epochs} epochs with the overrides applied. */
    public static Solver.Config config(DigitModels.Choice choice, int epochs, long seed, Overrides overrides) {
        Solver.Config config = DigitModels.training(choice.kind(), epochs, seed);
        if (overrides.learningRate() != null) {
            config.learningRate(overrides.learningRate());
        }
        if (overrides.lrDecay() != null) {
            config.lrDecay(overrides.lrDecay());
        }
        if (overrides.ema() != null) {
            config.ema(overrides.ema());
        }
        return config;
    }

    /** An MNIST split as a data set of 1x28x28 images. */
    public static Dataset dataset(Mnist.Split split) {
        return new Dataset(split.images(), new int[] {1, 28, 28}, split.labels());
    }

    /** The network of {@code choice} for one image: its layers' parameters and multiply-adds. */
    public static Summary summary(Model model) {
        return ((Classifier) model).network().summary(Shape.of(1, 1, 28, 28));
    }

    /** Builds {@code choice} with {@code seed} on {@code backend} and trains it; the model ends at its best epoch. */
    public static Result train(DigitModels.Choice choice, Backend backend, Dataset train, Dataset val, int epochs,
                               long seed, Overrides overrides) {
        return train(choice, backend, train, val, config(choice, epochs, seed, overrides), seed);
    }

    /** As {@link #train(DigitModels.Choice, Backend, Dataset, Dataset, int, long, Overrides)} with a given recipe. */
    public static Result train(DigitModels.Choice choice, Backend backend, Dataset train, Dataset val,
                               Solver.Config config, long seed) {
        try {
            return train(choice, backend, train, val, config, seed, s -> { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // no setup, so nothing read
        }
    }

    /** What is done to the solver before it trains: progress listeners, a resume from a checkpoint. */
    @FunctionalInterface
    public interface Setup {
        /** Prepares {@code solver}. */
        void apply(Solver solver) throws java.io.IOException;
    }

    /** As {@link #train(DigitModels.Choice, Backend, Dataset, Dataset, Solver.Config, long)}, {@code setup} first. */
    public static Result train(DigitModels.Choice choice, Backend backend, Dataset train, Dataset val,
                               Solver.Config config, long seed, Setup setup) throws java.io.IOException {
        Model m = DigitModels.build(choice, backend, DType.FLOAT32, seed);
        Solver solver = new Solver(m, train, val, config);
        setup.apply(solver);
        long t = System.nanoTime();
        solver.train();
        return result(choice, m, config, solver, (System.nanoTime() - t) / 1e9);
    }

    /** The result of {@code solver}, which trained {@code model} (or a wrapper of it) with {@code config}. */
    public static Result result(DigitModels.Choice choice, Model model, Solver.Config config, Solver solver,
                                double seconds) {
        return new Result(choice, model, summary(model), config, solver.bestValAcc(), solver.bestEpoch(),
                solver.epochs(), solver.lossHistory(), seconds);
    }
}
