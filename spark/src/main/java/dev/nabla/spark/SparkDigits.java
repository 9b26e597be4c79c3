package dev.nabla.spark;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.data.Mnist;
import dev.nabla.models.DigitModels;
import dev.nabla.models.DigitTraining;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digits command's jobs on Spark: the sweep with one task per configuration, and one configuration trained
 * data-parallel. Every task reads MNIST itself from {@link Job#dataDir} (a path that each executor sees: a shared
 * file system, or a folder shipped with {@code spark-submit --archives}) and trains exactly as the local command,
 * so that with the same seed, backend and intra-op threads it gives the same network.
 */
public final class SparkDigits {
    private static final Logger LOG = LoggerFactory.getLogger(SparkDigits.class);
    /** Seconds between a training task's progress lines. */
    private static final double REPORT_SECONDS = 10;

    private SparkDigits() {
    }

    /** What each task needs to train a configuration as the local command would. */
    public record Job(String dataDir, Integer trainLimit, String backend, int epochs, long seed,
                      DigitTraining.Overrides overrides) implements Serializable {
    }

    /**
     * One trained configuration as it comes back from a task: the network's state as plain arrays and the Solver's
     * records; for a data-parallel run also rank 0's step counts, times and bytes sent.
     */
    public record Trained(PlainState state, double valAcc, int bestEpoch, double[][] epochs, double[] loss,
                          double seconds, long steps, double computeSeconds, double ringSeconds, long bytesSent)
            implements Serializable {
    }

    /** The sweep of {@code choices}, one Spark task each; results in the order of {@code choices}. */
    public static List<DigitTraining.Result> sweep(JavaSparkContext sc, Job job, List<DigitModels.Choice> choices,
                                                   Backend driver) {
        return results(job, choices, DistributedSweep.run(sc, "digits sweep", choices, task(job)), driver);
    }

    /** The work of one sweep task: trains configuration {@code choice} on the task's backend. */
    static DistributedSweep.Task<DigitModels.Choice, Trained> task(Job job) {
        return (choice, index, progress) -> {
            Data data = Data.load(job);
            Model m = DigitModels.build(choice, SparkJobs.taskBackend(job.backend()), DType.FLOAT32, job.seed());
            Solver.Config config = DigitTraining.config(choice, job.epochs(), job.seed(), job.overrides());
            Solver solver = new Solver(new StepReporter(m, choice.toString(), steps(data.train(), config, job),
                    REPORT_SECONDS, progress::report), data.train(), data.val(), config);
            long t = System.nanoTime();
            solver.train();
            Trained trained = trained(m, solver, (System.nanoTime() - t) / 1e9, null);
            progress.report(String.format(Locale.ROOT, "%s: val_acc %.4f (epoch %d), %.0f s", choice,
                    trained.valAcc(), trained.bestEpoch(), trained.seconds()));
            return trained;
        };
    }

    /**
     * Trains {@code choice} on {@code replicas} synchronous replicas, each taking its share of every global minibatch
     * (the recipe's batch size); {@code averageEvery} 0 averages the gradients every step, k averages weights and
     * optimizer state every k steps.
     */
    public static DigitTraining.Result dataParallel(JavaSparkContext sc, Job job, DigitModels.Choice choice,
                                                    int replicas, int averageEvery, Backend driver) {
        Trained t = DataParallel.run(sc, "digits data-parallel " + choice, replicas, true, 600, (ring, progress) -> {
            Data data = Data.load(job);
            Model m = DigitModels.build(choice, SparkJobs.taskBackend(job.backend()), DType.FLOAT32, job.seed());
            Solver.Config config = DigitTraining.config(choice, job.epochs(), job.seed(), job.overrides());
            ReplicatedModel replica = new ReplicatedModel(m, ring, averageEvery);
            Model trained = ring.rank() != 0 ? replica : new StepReporter(replica, choice + " x" + ring.size(),
                    steps(data.train(), config, job), REPORT_SECONDS, progress::report);
            Solver solver = new Solver(trained, data.train(), data.val(), config);
            replica.attach(solver.optimizer());
            long start = System.nanoTime();
            solver.train();
            return trained(m, solver, (System.nanoTime() - start) / 1e9, replica);
        });
        LOG.info(String.format(Locale.ROOT, "data-parallel %s on %d replicas: %d steps, %.1f ms a step (%.1f ms of"
                        + " it computing the shard, %.1f ms in the all-reduce), %,d bytes sent per replica and step",
                choice, replicas, t.steps(), 1e3 * t.seconds() / t.steps(), 1e3 * t.computeSeconds() / t.steps(),
                1e3 * t.ringSeconds() / t.steps(), t.bytesSent() / Math.max(1, t.steps())));
        return results(job, List.of(choice), List.of(t), driver).get(0);
    }

    /** Optimizer steps of a training run of {@code config} on {@code train}, as the Solver counts them. */
    private static long steps(Dataset train, Solver.Config config, Job job) {
        int batch = (int) config.describe().get("batch_size");
        return (long) Math.max(train.count() / batch, 1) * job.epochs();
    }

    private static Trained trained(Model m, Solver solver, double seconds, ReplicatedModel replica) {
        List<Solver.Epoch> epochs = solver.epochs();
        double[][] rows = new double[epochs.size()][];
        for (int i = 0; i < rows.length; i++) {
            Solver.Epoch e = epochs.get(i);
            rows[i] = new double[] {e.epoch(), e.loss(), e.trainAcc(), e.valAcc(), e.learningRate(), e.seconds(),
                e.imagesPerSecond()};
        }
        double[] loss = solver.lossHistory().stream().mapToDouble(Double::doubleValue).toArray();
        return new Trained(PlainState.of(m.state()), solver.bestValAcc(), solver.bestEpoch(), rows, loss, seconds,
                replica == null ? loss.length : replica.steps(), replica == null ? seconds : replica.computeSeconds(),
                replica == null ? 0 : replica.ring().seconds(), replica == null ? 0 : replica.ring().bytesSent());
    }

    /** The tasks' results as the command's: each network rebuilt on the driver's backend with the trained state. */
    private static List<DigitTraining.Result> results(Job job, List<DigitModels.Choice> choices, List<Trained> trained,
                                                      Backend driver) {
        List<DigitTraining.Result> out = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            DigitModels.Choice choice = choices.get(i);
            Trained t = trained.get(i);
            Model m = DigitModels.build(choice, driver, DType.FLOAT32, job.seed());
            t.state().assignTo(m.state());
            List<Solver.Epoch> epochs = new ArrayList<>();
            for (double[] r : t.epochs()) {
                epochs.add(new Solver.Epoch((int) r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
            }
            List<Double> loss = new ArrayList<>();
            for (double l : t.loss()) {
                loss.add(l);
            }
            out.add(new DigitTraining.Result(choice, m, DigitTraining.summary(m),
                    DigitTraining.config(choice, job.epochs(), job.seed(), job.overrides()), t.valAcc(), t.bestEpoch(),
                    epochs, loss, t.seconds()));
        }
        return out;
    }

    /** MNIST's training (limited as asked) and validation sets. */
    private record Data(Dataset train, Dataset val) {
        /** The sets of {@code job}, read once per executor and kept for its later tasks. */
        static Data load(Job job) throws IOException {
            return DataCache.get(job);
        }
    }

    /** The executor's copy of the data its tasks train on (one data folder and limit at a time). */
    private static final class DataCache {
        private static Data data;
        private static String key;

        static synchronized Data get(Job job) throws IOException {
            String wanted = job.dataDir() + "|" + job.trainLimit();
            if (!wanted.equals(key)) {
                Mnist mnist = Mnist.load(Path.of(job.dataDir()));
                Dataset train = DigitTraining.dataset(mnist.train());
                data = new Data(job.trainLimit() != null ? train.head(job.trainLimit()) : train,
                        DigitTraining.dataset(mnist.val()));
                key = wanted;
            }
            return data;
        }
    }
}
