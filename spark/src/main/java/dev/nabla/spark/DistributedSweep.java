package dev.nabla.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Independent configurations as one Spark task each: the tasks run wherever the cluster has a free slot, a task that
 * fails or whose executor dies is run again by Spark ({@code spark.task.maxFailures}; with a {@code local[N]} master
 * only when written {@code local[N,F]}), and the driver gets the results in the configurations' order. A task must
 * depend on its configuration alone, so that a retry gives the same result.
 */
public final class DistributedSweep {
    private DistributedSweep() {
    }

    /** The work of one configuration in a Spark task; {@code index} is its position in the list. */
    @FunctionalInterface
    public interface Task<C, R> extends Serializable {
        /** The result of configuration {@code config}; lines given to {@code progress} reach the driver's log. */
        R run(C config, int index, Progress progress) throws Exception;
    }

    /** Runs {@code task} on every configuration, one Spark task each, and returns the results in order. */
    public static <C extends Serializable, R extends Serializable> List<R> run(JavaSparkContext sc, String job,
                                                                              List<C> configs, Task<C, R> task) {
        List<C> all = new ArrayList<>(configs);
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            indices.add(i);
        }
        Progress progress = Progress.register(sc, job);
        sc.setJobDescription(job + ": " + all.size() + " configurations");
        try {
            return sc.parallelize(indices, Math.max(1, all.size())).map(i -> {
                progress.report("configuration " + (i + 1) + "/" + all.size() + " (" + all.get(i) + ") started"
                        + (TaskContext.get().attemptNumber() > 0 ? ", attempt " + (TaskContext.get().attemptNumber()
                        + 1) : ""));
                return task.run(all.get(i), i, progress);
            }).collect();
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            throw new IllegalStateException(job + " failed: " + e.getMessage(), e);
        }
    }
}
