package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.io.ParamStore;
import dev.nabla.train.Dataset;
import dev.nabla.train.Solver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Solver on a small synthetic problem: learning, repeatability, the NaN guard, checkpoints, best weights. */
class SolverTest {
    private static final Backend CPU = Backends.get("cpu");

    /** Three Gaussian blobs in 5-D, one per class: easy, but not separable by chance. */
    static Dataset blobs(int n, long seed) {
        Random rng = new Random(seed);
        float[] x = new float[n * 5];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int j = 0; j < 5; j++) {
                x[i * 5 + j] = (float) (rng.nextGaussian() + (j == y[i] ? 2.5 : 0));
            }
        }
        return new Dataset(x, new int[] {5}, y);
    }

    private static TwoLayerNet net(long seed) {
        return new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), seed);
    }

    private static Solver.Config config() {
        return new Solver.Config().updateRule("adam").learningRate(1e-2).batchSize(20).epochs(5).printEvery(0).seed(3);
    }

    @Test
    void lossDecreasesAndTheNetworkLearns() {
        Solver s = new Solver(net(1), blobs(600, 1), blobs(300, 2), config());
        List<Solver.Epoch> epochs = s.train();
        assertEquals(5, epochs.size());
        assertTrue(epochs.get(4).loss() < 0.5 * epochs.get(0).loss() || epochs.get(4).loss() < 0.3,
                "loss should fall: " + epochs);
        assertTrue(s.bestValAcc() > 0.9, "validation accuracy " + s.bestValAcc());
        assertEquals(5 * 600 / 20, s.lossHistory().size());
    }

    @Test
    void sameSeedRepeatsTheRunExactly() {
        Solver a = new Solver(net(7), blobs(200, 1), blobs(100, 2), config());
        Solver b = new Solver(net(7), blobs(200, 1), blobs(100, 2), config());
        a.train();
        b.train();
        assertEquals(a.lossHistory(), b.lossHistory());
    }

    @Test
    void nanLossStopsTrainingNamingTheIteration() {
        Dataset bad = blobs(100, 1);
        bad.x()[5 * 30] = Float.NaN; // sample 30 lands in some minibatch of the first epoch
        Solver s = new Solver(net(1), bad, blobs(50, 2), config().batchSize(10));
        IllegalStateException e = assertThrows(IllegalStateException.class, s::train);
        assertTrue(e.getMessage().contains("NaN at iteration "), e.getMessage());
    }

    @Test
    void bestParametersAreRestoredAndCheckpointsWritten(@TempDir Path dir) throws Exception {
        TwoLayerNet model = net(2);
        Solver s = new Solver(model, blobs(300, 1), blobs(200, 2), config().epochs(3).checkpointDir(dir));
        s.train();
        for (int e = 1; e <= 3; e++) {
            Path ckpt = dir.resolve(String.format("epoch_%03d", e));
            assertTrue(Files.isRegularFile(ckpt.resolve("fc1.weight.npy")), "checkpoint of epoch " + e);
            assertTrue(ParamStore.description(ckpt).contains("\"epoch\": " + e));
            assertTrue(ParamStore.description(ckpt).contains("\"weights\": \"live\""), ParamStore.description(ckpt));
        }
        // The restored parameters are the best epoch's checkpoint, bit for bit.
        TwoLayerNet fromCheckpoint = net(99);
        ParamStore.load(dir.resolve(String.format("epoch_%03d", s.bestEpoch())), fromCheckpoint.params());
        for (Map.Entry<String, Tensor> p : model.params().entrySet()) {
            assertArrayEquals(p.getValue().toFloatArray(), fromCheckpoint.params().get(p.getKey()).toFloatArray(),
                    p.getKey());
        }
        assertEquals(s.bestValAcc(), s.accuracy(blobs(200, 2), 0), 1e-12);
    }

    static Iterable<String> backends() {
        return Backends.available();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anAverageOfTheWeightsIsEvaluatedAndKeptWithoutChangingTheTraining(String backend, @TempDir Path dir)
            throws Exception {
        Backend be = Backends.get(backend);
        TwoLayerNet plainModel = new TwoLayerNet(be, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), 4);
        TwoLayerNet emaModel = new TwoLayerNet(be, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), 4);
        Solver plain = new Solver(plainModel, blobs(300, 1), blobs(200, 2), config().epochs(3));
        Solver averaged = new Solver(emaModel, blobs(300, 1), blobs(200, 2),
                config().epochs(3).ema(0.5).checkpointDir(dir));
        plain.train();
        averaged.train();
        // The updates still act on the live weights: every step's loss is the same as without the average.
        assertEquals(plain.lossHistory(), averaged.lossHistory());
        // What is kept is the average: the best epoch's checkpoint, scoring the best validation accuracy ...
        TwoLayerNet fromCheckpoint = net(99);
        Path best = dir.resolve(String.format("epoch_%03d", averaged.bestEpoch()));
        ParamStore.load(best, fromCheckpoint.params());
        assertTrue(ParamStore.description(best).contains("\"weights\": \"ema\", \"ema_decay\": 0.5"),
                ParamStore.description(best));
        for (Map.Entry<String, Tensor> p : emaModel.params().entrySet()) {
            assertArrayEquals(p.getValue().toFloatArray(), fromCheckpoint.params().get(p.getKey()).toFloatArray(),
                    p.getKey());
        }
        assertEquals(averaged.bestValAcc(), averaged.accuracy(blobs(200, 2), 0), 1e-12);
        // ... and not the live weights that the same run without the average kept.
        assertTrue(!java.util.Arrays.equals(plainModel.params().get("fc1.weight").toFloatArray(),
                emaModel.params().get("fc1.weight").toFloatArray()), "the kept weights should be the average");
        assertEquals(0.9, config().ema(0.9).describe().get("ema_decay"));
        assertThrows(IllegalArgumentException.class, () -> config().ema(1));
    }

    @Test
    void aFailedEvaluationLeavesTheLiveWeightsNotTheAverage(@TempDir Path dir) throws Exception {
        // The checkpoint folder is a file, so writing the first checkpoint fails while the average is swapped in.
        Path notAFolder = Files.writeString(dir.resolve("taken"), "x");
        TwoLayerNet plainModel = net(5);
        TwoLayerNet emaModel = net(5);
        new Solver(plainModel, blobs(300, 1), blobs(200, 2), config().epochs(1)).train();
        Solver failing = new Solver(emaModel, blobs(300, 1), blobs(200, 2),
                config().epochs(1).ema(0.5).checkpointDir(notAFolder));
        assertThrows(RuntimeException.class, failing::train);
        // One epoch without the average ends on the live weights: the failed run must hold exactly those.
        for (Map.Entry<String, Tensor> p : plainModel.params().entrySet()) {
            assertArrayEquals(p.getValue().toFloatArray(), emaModel.params().get(p.getKey()).toFloatArray(),
                    p.getKey());
        }
    }
}
