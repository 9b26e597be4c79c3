package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The work's split, not the number of threads, decides the bits: one thread running the chunks of two gives what two
 * threads give (a convolution's weight gradient adds per-chunk partial sums, the case where the split shows).
 */
class ParallelSplitsTest {
    private static float[] weightGradient(Backend be) {
        Random r = new Random(5);
        Tensor x = be.fromArray(random(r, 50 * 3 * 12 * 12), DType.FLOAT32, Shape.of(50, 3, 12, 12));
        Tensor w = be.fromArray(random(r, 8 * 3 * 5 * 5), DType.FLOAT32, Shape.of(8, 3, 5, 5));
        Tensor b = be.zeros(DType.FLOAT32, Shape.of(8));
        Forward<Conv2d.Cache> y = Conv2d.forward(x, w, b);
        Tensor dout = be.fromArray(random(r, (int) y.out().size()), DType.FLOAT32, y.out().shape());
        return Conv2d.backward(dout, y.cache()).dw().toFloatArray();
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void oneThreadRunningTwoSplitsComputesWhatTwoThreadsDo() {
        assertArrayEquals(weightGradient(new CpuBackend(2)), weightGradient(new CpuBackend(1, 2)));
    }

    @Test
    void threeThreadsRunningFourSplitsComputeWhatFourThreadsDo() {
        assertArrayEquals(weightGradient(new CpuBackend(4)), weightGradient(new CpuBackend(3, 4)));
    }
}
