package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Lstm;
import dev.nabla.nn.Rnn;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused RNN and LSTM of this backend compute each hidden state and dx with the step-by-step composition's
 * operations in its order, so in FLOAT32 they are the same numbers, bit for bit (the conformance kit checks the
 * parameter gradients, summed in another order, to rounding).
 */
class FusedRecurrentTest {
    private final Backend be = new CpuBackend(2);

    @Test
    void fusedForwardAndDxEqualTheStepwiseCompositionBitForBit() {
        Random rng = new Random(3);
        DType f32 = DType.FLOAT32;
        for (int gates : new int[] {1, 4}) {
            Tensor x = Tensors.randn(be, f32, rng, 1, 40, 6, 32);
            Tensor h0 = Tensors.randn(be, f32, rng, 0.5, 40, 48);
            Tensor wx = Tensors.randn(be, f32, rng, 0.2, 32, gates * 48);
            Tensor wh = Tensors.randn(be, f32, rng, 0.15, 48, gates * 48);
            Tensor b = Tensors.randn(be, f32, rng, 0.5, gates * 48);
            Tensor dh = Tensors.randn(be, f32, rng, 1, 40, 6, 48);
            Backend.Saved fused = gates == 1 ? be.rnnForward(x, h0, wx, wh, b) : be.lstmForward(x, h0, wx, wh, b);
            Backend.Saved generic = gates == 1 ? Rnn.stepwiseForward(x, h0, wx, wh, b)
                    : Lstm.stepwiseForward(x, h0, wx, wh, b);
            assertArrayEquals(generic.out().toFloatArray(), fused.out().toFloatArray(), "h, gates " + gates);
            Rnn.Grads gf = gates == 1 ? be.rnnBackward(dh, fused.state()) : be.lstmBackward(dh, fused.state());
            Rnn.Grads gg = gates == 1 ? Rnn.stepwiseBackward(dh, generic.state())
                    : Lstm.stepwiseBackward(dh, generic.state());
            assertArrayEquals(gg.dx().toFloatArray(), gf.dx().toFloatArray(), "dx, gates " + gates);
            assertArrayEquals(gg.dh0().toFloatArray(), gf.dh0().toFloatArray(), "dh0, gates " + gates);
        }
    }
}
