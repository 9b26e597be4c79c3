package dev.nabla.bench;

import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Forward;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.RnnStep;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The vanilla RNN at the W5 shapes (N=100, T=16, word vectors D=256 in, hidden H=512): one step and
 * the whole sequence, forward and backward, per backend and dtype.
 */
public class RnnBenchmark extends BackendBenchmark {
    private static final int N = 100;
    private static final int T = 16;
    private static final int D = 256;
    private static final int H = 512;

    private Tensor x;
    private Tensor xStep;
    private Tensor h0;
    private Tensor wx;
    private Tensor wh;
    private Tensor b;
    private Tensor dh;
    private Tensor dhStep;
    private RnnStep.Cache stepCache;
    private Rnn.Cache seqCache;

    /** Seeded inputs, and one forward's caches for the backward benchmarks. */
    @Setup
    public void setup() {
        Random rng = new Random(5);
        x = Tensors.randn(backend(), dtype(), rng, 1, N, T, D);
        xStep = Tensors.randn(backend(), dtype(), rng, 1, N, D);
        h0 = Tensors.randn(backend(), dtype(), rng, 1, N, H);
        wx = Tensors.randn(backend(), dtype(), rng, 0.05, D, H);
        wh = Tensors.randn(backend(), dtype(), rng, 0.05, H, H);
        b = Tensors.randn(backend(), dtype(), rng, 0.1, H);
        dh = Tensors.randn(backend(), dtype(), rng, 1, N, T, H);
        dhStep = Tensors.randn(backend(), dtype(), rng, 1, N, H);
        stepCache = stepForward().cache();
        seqCache = sequenceForward().cache();
    }

    /** One time step forward. */
    @Benchmark
    public Forward<RnnStep.Cache> stepForward() {
        return RnnStep.forward(xStep, h0, wx, wh, b);
    }

    /** One time step backward. */
    @Benchmark
    public RnnStep.Grads stepBackward() {
        return RnnStep.backward(dhStep, stepCache);
    }

    /** All T steps forward. */
    @Benchmark
    public Forward<Rnn.Cache> sequenceForward() {
        return Rnn.forward(x, h0, wx, wh, b);
    }

    /** All T steps backward. */
    @Benchmark
    public Rnn.Grads sequenceBackward() {
        return Rnn.backward(dh, seqCache);
    }
}
