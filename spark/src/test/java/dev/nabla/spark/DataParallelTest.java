package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.models.TwoLayerNet;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.util.Random;
import org.apache.spark.BarrierTaskContext;
import org.junit.jupiter.api.Test;

/**
 * Synchronous data-parallel training on two replicas against one process on the whole batch: FLOAT64, so that the
 * only difference is the rounding of the gradient sum.
 */
class DataParallelTest {
    private static final TwoLayerNet.Config NET = new TwoLayerNet.Config(12, 16, 4, 0, 1e-3);
    private static final int STEPS = 6;

    /** A fixed, learnable set: {@code n} points whose class is the sign pattern of two of their coordinates. */
    static Dataset data(int n) {
        Random r = new Random(7);
        float[] x = new float[n * NET.inputDim()];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < NET.inputDim(); j++) {
                x[i * NET.inputDim() + j] = (float) r.nextGaussian();
            }
            y[i] = (x[i * NET.inputDim()] > 0 ? 1 : 0) + (x[i * NET.inputDim() + 1] > 0 ? 2 : 0);
        }
        return new Dataset(x, new int[] {NET.inputDim()}, y);
    }

    /** Full-batch training, {@link #STEPS} steps (one per epoch). */
    static Solver.Config config(String rule, int batch) {
        return new Solver.Config().updateRule(rule).learningRate(rule.equals("sgd") ? 0.5 : 0.01).batchSize(batch)
                .epochs(STEPS).printEvery(0).numTrainSamples(0).seed(3);
    }

    static PlainState oneProcess(String rule, int n) {
        Backend be = Backends.get("cpu");
        Model m = new TwoLayerNet(be, DType.FLOAT64, NET, 11);
        new Solver(m, data(n), data(n), config(rule, n)).train();
        return PlainState.of(m.state());
    }

    static PlainState replicas(String rule, int n, int averageEvery, int failAtStep) {
        return replicas(rule, n, averageEvery, failAtStep, Integer.MAX_VALUE);
    }

    /** Trains on two replicas; replica 1 throws at step {@code failAtStep} (if >= 0) in its first {@code failingTries}. */
    static PlainState replicas(String rule, int n, int averageEvery, int failAtStep, int failingTries) {
        return DataParallel.run(LocalSpark.context(), "data-parallel test", 2, false, 60, (ring, progress) -> {
            Model m = new TwoLayerNet(SparkJobs.taskBackend("cpu"), DType.FLOAT64, NET, 11 + ring.rank());
            ReplicatedModel replica = new ReplicatedModel(m, ring, averageEvery);
            boolean fails = failAtStep >= 0 && ring.rank() == 1
                    && BarrierTaskContext.get().stageAttemptNumber() < failingTries;
            Model trained = fails ? new FailingModel(replica, failAtStep) : replica;
            Solver solver = new Solver(trained, data(n), data(n), config(rule, n));
            replica.attach(solver.optimizer());
            solver.train();
            progress.report("replica " + ring.rank() + ": " + replica.steps() + " steps, " + ring.bytesSent()
                    + " bytes sent");
            return PlainState.of(m.state());
        });
    }

    /** Largest relative difference of any value: |a - b| / max(|a|, |b|, 1e-12). */
    static double difference(PlainState a, PlainState b) {
        assertEquals(a.names(), b.names());
        double worst = 0;
        for (String name : a.names()) {
            double[] x = a.values(name);
            double[] y = b.values(name);
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1e-12, Math.max(Math.abs(x[i]), Math.abs(y[i]))));
            }
        }
        return worst;
    }

    /** Training on two replicas matches one process on the whole batch, to 1e-9 relative. */
    private static void assertEquivalent(String rule, int n, int averageEvery) {
        double d = difference(oneProcess(rule, n), replicas(rule, n, averageEvery, -1));
        assertTrue(d < 1e-9, rule + ", " + n + " samples, average every " + averageEvery + ": relative difference " + d);
    }

    @Test
    void twoReplicasOfFiftyTrainAsOneProcessOnAHundredWithSgd() {
        assertEquivalent("sgd", 100, 0);
    }

    @Test
    void twoReplicasOfFiftyTrainAsOneProcessOnAHundredWithAdam() {
        assertEquivalent("adam", 100, 0);
    }

    @Test
    void unequalShardsAreWeightedBySize() {
        assertEquivalent("sgd", 99, 0); // shards of 49 and 50
    }

    @Test
    void parameterAveragingAfterEveryStepIsGradientAveragingForSgd() {
        assertEquivalent("sgd", 100, 1);
    }

    @Test
    void aFailedReplicaRestartsEveryReplicaFromTheStart() {
        double d = difference(replicas("adam", 100, 0, -1), replicas("adam", 100, 0, 3, 1));
        assertEquals(0, d, "a retried job must give the same weights as one that never failed");
    }

    @Test
    void aReplicaThatFailsEveryTimeFailsTheJobClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> replicas("sgd", 100, 0, 3));
        assertTrue(e.getMessage().contains("no weights were produced"), e.getMessage());
        assertTrue(e.getMessage().contains("replica 1 fails at step 3"), e.getMessage());
    }

    /** Replica 1 of a try that fails: throws at one step. */
    private static final class FailingModel extends ForwardingModel {
        private final int failAt;
        private int steps;

        FailingModel(Model model, int failAt) {
            super(model);
            this.failAt = failAt;
        }

        @Override
        public Loss loss(dev.nabla.Tensor x, int[] y) {
            if (++steps == failAt) {
                throw new IllegalStateException("replica 1 fails at step " + failAt + " (stage attempt "
                        + BarrierTaskContext.get().stageAttemptNumber() + ")");
            }
            return model.loss(x, y);
        }
    }
}
