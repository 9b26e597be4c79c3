package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.train.ExponentialMovingAverage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExponentialMovingAverageTest {
    static Iterable<String> backends() {
        return Backends.available();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void averagesWithAWarmUpAsComputedByHand(String backend) {
        Backend be = Backends.get(backend);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", be.fromArray(new double[] {0, 10}, DType.FLOAT64, Shape.of(2)));
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(params, 0.5)) {
            // Step 0: decay min(0.5, 1/10) = 0.1, so the average moves 90% of the way to the new weights.
            assertEquals(0.1, ema.currentDecay(), 1e-15);
            params.get("w").assign(be.fromArray(new double[] {10, 20}, DType.FLOAT64, Shape.of(2)));
            ema.update(params);
            assertArrayEquals(new double[] {9, 19}, ema.average().get("w").toDoubleArray(), 1e-12);
            // Step 1: min(0.5, 2/11).
            assertEquals(2.0 / 11, ema.currentDecay(), 1e-15);
            ema.update(params);
            assertArrayEquals(new double[] {9 * 2.0 / 11 + 10 * 9.0 / 11, 19 * 2.0 / 11 + 20 * 9.0 / 11},
                    ema.average().get("w").toDoubleArray(), 1e-12);
            // From step 8 on ((1 + 8) / 18 = 0.5) the configured decay rules.
            for (int i = 2; i < 8; i++) {
                ema.update(params);
            }
            assertEquals(0.5, ema.currentDecay(), 1e-15);
            double before = ema.average().get("w").toDoubleArray()[0];
            params.get("w").assign(be.fromArray(new double[] {-4, 6}, DType.FLOAT64, Shape.of(2)));
            ema.update(params);
            assertEquals(before / 2 - 2, ema.average().get("w").toDoubleArray()[0], 1e-12);
            // The live weights are only read.
            assertArrayEquals(new double[] {-4, 6}, params.get("w").toDoubleArray());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void refusesADecayOutsideZeroToOne(String backend) {
        Map<String, Tensor> params = Map.of("w", Backends.get(backend).zeros(DType.FLOAT32, Shape.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(params, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(params, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(params, Double.NaN));
    }
}
