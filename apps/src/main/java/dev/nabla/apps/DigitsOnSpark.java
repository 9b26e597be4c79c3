package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.models.DigitModels;
import dev.nabla.models.DigitTraining;
import dev.nabla.spark.MasterUrl;
import dev.nabla.spark.SparkDigits;
import dev.nabla.spark.SparkRuns;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code nabla digits} that move its training onto Spark, and that training. */
final class DigitsOnSpark {
    @Mixin
    SparkOption spark = new SparkOption();

    @Option(names = "--data-parallel", paramLabel = "P", description = "With --spark: train the network on P"
            + " synchronous replicas, each computing the gradient of 1/P of every minibatch.")
    Integer replicas;

    @Option(names = "--average-every", paramLabel = "K", description = "With --data-parallel: average the weights and"
            + " the optimizer state every K steps (parameter averaging) instead of the gradients every step.")
    Integer averageEvery;

    /** Whether the training runs on Spark. */
    boolean enabled() {
        return spark.enabled();
    }

    /** The combinations that make sense, checked before any work starts. */
    void check(boolean sweep) {
        if (!spark.enabled()) {
            if (replicas != null || averageEvery != null) {
                throw new IllegalArgumentException((replicas != null ? "--data-parallel" : "--average-every")
                        + " needs --spark MASTER (local[N] runs the replicas in this process)");
            }
            return;
        }
        spark.check();
        if (averageEvery != null && (replicas == null || averageEvery < 1)) {
            throw new IllegalArgumentException("--average-every must be at least 1 and goes with --data-parallel P, got "
                    + averageEvery + (replicas == null ? " without --data-parallel" : ""));
        }
        if (replicas == null) {
            return;
        }
        if (sweep) {
            throw new IllegalArgumentException("--data-parallel trains one network and --sweep a grid: choose one (with"
                    + " --spark the sweep runs its configurations as Spark tasks already)");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("--data-parallel must be at least 1, got " + replicas);
        }
        OptionalInt slots = MasterUrl.localSlots(spark.master);
        if (slots.isPresent() && slots.getAsInt() < replicas) {
            throw new IllegalArgumentException("--data-parallel " + replicas + " runs " + replicas + " replicas at"
                    + " once, but --spark " + spark.master + " has " + slots.getAsInt() + " task slots; use local["
                    + replicas + "] or more");
        }
    }

    /**
     * The sweep of {@code choices} as Spark tasks, or with {@code --data-parallel} its one network on replicas; the
     * tasks read MNIST themselves from {@code dataDir}.
     */
    List<DigitTraining.Result> train(List<DigitModels.Choice> choices, Backend be, Path dataDir, Integer trainLimit,
                                     int epochs, long seed, DigitTraining.Overrides overrides) {
        SparkDigits.Job job = new SparkDigits.Job(dataDir.toString(), trainLimit, be.name(), epochs, seed, overrides);
        return replicas == null ? SparkRuns.digitsSweep(spark.master, job, choices, be)
                : List.of(SparkRuns.digitsDataParallel(spark.master, job, choices.get(0), replicas,
                        averageEvery == null ? 0 : averageEvery, be));
    }

    /** What results.json records of the Spark run (nothing without --spark). */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (spark.enabled()) {
            m.put("spark", spark.master);
            if (replicas != null) {
                m.put("data_parallel", replicas);
                m.put("average_every", averageEvery == null ? 0 : averageEvery);
            }
        }
        return m;
    }
}
