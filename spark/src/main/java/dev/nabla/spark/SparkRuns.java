package dev.nabla.spark;

import dev.nabla.Backend;
import dev.nabla.models.DigitModels;
import dev.nabla.models.DigitTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The command line's ways onto Spark: each starts Spark on a master URL, runs one job and stops Spark. No Spark type
 * appears in a signature here, so a program compiled against this class loads Spark only when it calls one.
 */
public final class SparkRuns {
    private SparkRuns() {
    }

    /** {@link SparkDigits#sweep} on {@code master}. */
    public static List<DigitTraining.Result> digitsSweep(String master, SparkDigits.Job job,
                                                         List<DigitModels.Choice> choices, Backend driver) {
        try (JavaSparkContext sc = SparkJobs.start(master, "nabla digits --sweep")) {
            return SparkDigits.sweep(sc, job, choices, driver);
        }
    }

    /** {@link SparkDigits#dataParallel} on {@code master}. */
    public static DigitTraining.Result digitsDataParallel(String master, SparkDigits.Job job, DigitModels.Choice choice,
                                                          int replicas, int averageEvery, Backend driver) {
        try (JavaSparkContext sc = SparkJobs.start(master, "nabla digits --data-parallel")) {
            return SparkDigits.dataParallel(sc, job, choice, replicas, averageEvery, driver);
        }
    }

    /** {@link FlickrFeatures#precompute} on {@code master}. */
    public static void flickrFeatures(String master, Path dataDir, Path cacheDir, Map<String, Integer> limits,
                                      String backend) throws IOException {
        try (JavaSparkContext sc = SparkJobs.start(master, "nabla captioning --spark")) {
            FlickrFeatures.precompute(sc, dataDir, cacheDir, limits, backend);
        }
    }
}
