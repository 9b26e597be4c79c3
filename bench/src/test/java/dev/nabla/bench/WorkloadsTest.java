package dev.nabla.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.Tensor;
import dev.nabla.models.ConvNet;
import dev.nabla.module.Classifier;
import dev.nabla.train.Model;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, Workloads.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Workloads.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void theMedianIntervalIsTheSecondAndNinthOfTen() {
        double[] ms = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
        assertArrayEquals(new double[] {2, 9}, Workloads.interval(ms));
        assertArrayEquals(new double[] {1, 3}, Workloads.interval(new double[] {3, 1, 2}));
    }

    @Test
    void numbersKeepThreeFigures() {
        assertEquals("1.31", Workloads.number(1.3149));
        assertEquals("41.7", Workloads.number(41.66));
        assertEquals("0.123", Workloads.number(0.1234));
    }

    @Test
    void flopCountsFollowWorkloadsMd() {
        assertEquals(3.0 * 2 * 50 * 32 * 49 * 22 * 22, ConvCase.W1.flop());
        assertEquals(3.0 * 2 * 16 * 64 * 64 * 9 * 56 * 56, ConvCase.W2.flop());
        assertEquals(3.0 * 2 * 8 * 96 * 9 * 56 * 56, ConvCase.DW2.flop());
    }

    @Test
    void parsesIdsAndRejectsUnknownOnes() {
        assertEquals(List.of(Workload.W1, Workload.SGEMM), Workloads.parse(List.of("w1", "SGEMM")));
        assertEquals(List.of(Workload.values()), Workloads.parse(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Workloads.parse(List.of("W9")));
    }

    @Test
    void theHandChainedReferencesComputeWhatTheModuleNetworksDo() {
        Backend be = Backends.get("cpu");
        Random rng = new Random(1);
        Tensor x = Fixtures.gaussian(be, Workload.DTYPE, rng, 1, 4, 1, 28, 28);
        int[] y = {1, 2, 3, 4};
        for (Classifier net : new Classifier[] {Workload.mlp(be), Workload.cnn(be)}) {
            Model.Loss modules = net.loss(x, y);
            Model.Loss chained = new HandChained(net, net instanceof ConvNet).loss(x, y);
            assertEquals(modules.value(), chained.value(), 0);
            assertEquals(modules.grads().keySet(), chained.grads().keySet());
            modules.grads().forEach((k, g) -> assertArrayEquals(g.toFloatArray(), chained.grads().get(k).toFloatArray(),
                    0f, k));
        }
    }

    @Test
    void theMobileNetV2TrainingStepRunsOnTheRealWeights() {
        // One timed iteration of W6 on the plain-Java backend: a result line, not an error line.
        String line = Workloads.measure(Backends.get("cpu"), Workload.W6, new Workloads.Options(0, 1));
        assertTrue(line.startsWith("backend=cpu workload=W6 ms=") && line.endsWith("unit=images/s"), line);
    }
}
