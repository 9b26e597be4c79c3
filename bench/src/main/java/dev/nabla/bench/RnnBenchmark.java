package dev.nabla.bench;

import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.Backend;
import dev.nabla.nn.Forward;
import dev.nabla.nn.Lstm;
import dev.nabla.nn.LstmStep;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.RnnStep;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The vanilla RNN and the LSTM at the W5 shapes (N=100, T=16, word vectors D=256 in, hidden H=512): one step and
 * the whole sequence, forward and backward, per backend and dtype. The sequences run the backend's fused kernels
 * ({@code sequence*}, {@code lstmSequence*}) and, for comparison, the generic step-by-step composition
 * ({@code stepwise*}).
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
    private Tensor c0;
    private Tensor wx4;
    private Tensor wh4;
    private Tensor b4;
    private RnnStep.Cache stepCache;
    private Rnn.Cache seqCache;
    private Backend.Saved stepwiseSaved;
    private LstmStep.Cache lstmStepCache;
    private Lstm.Cache lstmSeqCache;
    private Backend.Saved lstmStepwiseSaved;

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
        c0 = Tensors.randn(backend(), dtype(), rng, 1, N, H);
        wx4 = Tensors.randn(backend(), dtype(), rng, 0.05, D, 4 * H);
        wh4 = Tensors.randn(backend(), dtype(), rng, 0.05, H, 4 * H);
        b4 = Tensors.randn(backend(), dtype(), rng, 0.1, 4 * H);
        stepCache = stepForward().cache();
        seqCache = sequenceForward().cache();
        stepwiseSaved = stepwiseSequenceForward();
        lstmStepCache = lstmStepForward().cache();
        lstmSeqCache = lstmSequenceForward().cache();
        lstmStepwiseSaved = lstmStepwiseSequenceForward();
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

    /** The generic composition of T steps forward, as before the backends fused it. */
    @Benchmark
    public Backend.Saved stepwiseSequenceForward() {
        return Rnn.stepwiseForward(x, h0, wx, wh, b);
    }

    /** The generic composition of T steps backward. */
    @Benchmark
    public Rnn.Grads stepwiseSequenceBackward() {
        return Rnn.stepwiseBackward(dh, stepwiseSaved.state());
    }

    /** One LSTM step forward. */
    @Benchmark
    public LstmStep.Result lstmStepForward() {
        return LstmStep.forward(xStep, h0, c0, wx4, wh4, b4);
    }

    /** One LSTM step backward. */
    @Benchmark
    public LstmStep.Grads lstmStepBackward() {
        return LstmStep.backward(dhStep, dhStep, lstmStepCache);
    }

    /** The LSTM over all T steps forward (the backend's fused kernel). */
    @Benchmark
    public Forward<Lstm.Cache> lstmSequenceForward() {
        return Lstm.forward(x, h0, wx4, wh4, b4);
    }

    /** The LSTM over all T steps backward. */
    @Benchmark
    public Rnn.Grads lstmSequenceBackward() {
        return Lstm.backward(dh, lstmSeqCache);
    }

    /** The LSTM's generic composition forward. */
    @Benchmark
    public Backend.Saved lstmStepwiseSequenceForward() {
        return Lstm.stepwiseForward(x, h0, wx4, wh4, b4);
    }

    /** The LSTM's generic composition backward. */
    @Benchmark
    public Rnn.Grads lstmStepwiseSequenceBackward() {
        return Lstm.stepwiseBackward(dh, lstmStepwiseSaved.state());
    }
}
