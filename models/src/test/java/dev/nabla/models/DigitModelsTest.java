package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitModelsTest {
    private static final Backend CPU = Backends.get("cpu");

    @Test
    void parameterCountIsWhatTheBuiltNetworkHolds() {
        for (DigitModels.Kind kind : DigitModels.Kind.values()) {
            for (DigitModels.Choice c : DigitModels.grid(kind)) {
                long held = DigitModels.build(c, CPU, DType.FLOAT32, 0).state().values().stream()
                        .mapToLong(Tensor::size).sum();
                long buffers = kind == DigitModels.Kind.BN_CNN ? 2L * (16 + 32 + c.hidden()) : 0;
                assertEquals(held - buffers, c.summary(CPU).parameters(), c.toString());
            }
        }
        // By hand: conv 32 x 5 x 5 + 32; hidden 4,608 x 200 + 200; scores 200 x 10 + 10.
        assertEquals(32L * 25 + 32 + 4608L * 200 + 200 + 2010,
                new DigitModels.Choice(DigitModels.Kind.CNN, 200, 5).summary(CPU).parameters());
        assertEquals(784L * 1000 + 1000 + 10_010,
                new DigitModels.Choice(DigitModels.Kind.MLP, 1000, 0).summary(CPU).parameters());
    }

    @Test
    void multiplyAddsCountTheConvolutionAndAffineLayers() {
        // conv: 32 filters x 5 x 5 taps at 24 x 24 positions; hidden: 32 x 12 x 12 inputs x 200; scores: 200 x 10.
        assertEquals(32L * 25 * 576 + 4608L * 200 + 2000,
                new DigitModels.Choice(DigitModels.Kind.CNN, 200, 5).summary(CPU).multiplyAdds());
        assertEquals(784L * 1000 + 10_000,
                new DigitModels.Choice(DigitModels.Kind.MLP, 1000, 0).summary(CPU).multiplyAdds());
        // bn-cnn: conv1 16 x 9 at 28 x 28; bn1 16 x 28 x 28; conv2 32 x 16 x 9 at 14 x 14; bn2 32 x 14 x 14;
        // fc1 1,568 x 128; bn3 128; fc2 128 x 10.
        assertEquals(16L * 9 * 784 + 16 * 784 + 32L * 16 * 9 * 196 + 32 * 196 + 1568L * 128 + 128 + 1280,
                new DigitModels.Choice(DigitModels.Kind.BN_CNN, 128, 3).summary(CPU).multiplyAdds());
    }

    @Test
    void choosesTheCheapestNetworkWithinOneStandardErrorOfTheBest() {
        DigitModels.Choice small = new DigitModels.Choice(DigitModels.Kind.CNN, 100, 5);
        DigitModels.Choice medium = new DigitModels.Choice(DigitModels.Kind.CNN, 200, 5);
        DigitModels.Choice large = new DigitModels.Choice(DigitModels.Kind.CNN, 500, 5);
        List<DigitModels.Choice> grid = List.of(large, small, medium);
        // On 10,000 images the standard error at 0.993 is sqrt(0.993 * 0.007 / 10000) = 0.000834.
        assertEquals(0.000834, DigitModels.standardError(0.993, 10_000), 1e-6);
        // medium is 0.0008 below the best: as good as the validation set can tell, and cheaper than large.
        assertEquals(2, DigitModels.choose(grid, new double[] {0.9930, 0.9900, 0.9922}, 10_000, CPU));
        // 0.0009 below is not; small is far off.
        assertEquals(0, DigitModels.choose(grid, new double[] {0.9930, 0.9900, 0.9921}, 10_000, CPU));
        // With few validation images everything is within the error, so the cheapest wins.
        assertEquals(1, DigitModels.choose(grid, new double[] {0.9930, 0.9900, 0.9921}, 100, CPU));
        // Equally cheap: the first listed.
        assertEquals(0, DigitModels.choose(List.of(medium, medium), new double[] {0.99, 0.99}, 10_000, CPU));
        assertThrows(IllegalArgumentException.class, () -> DigitModels.choose(grid, new double[] {0.9}, 10_000, CPU));
        assertThrows(IllegalArgumentException.class,
                () -> DigitModels.choose(grid, new double[] {0.99, Double.NaN, 0.98}, 10_000, CPU));
    }
}
