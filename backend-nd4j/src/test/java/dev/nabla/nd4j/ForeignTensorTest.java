package dev.nabla.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Affine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A tensor of the cpu backend handed to the nd4j backend is rejected, naming both, or moved explicitly. */
class ForeignTensorTest {
    private final Backend nd4j = Nd4jTestBackends.nd4j();
    private final Backend cpu = Backends.get("cpu");

    private final Tensor mine = nd4j.fromArray(new double[] {1, 2, 3, 4}, DType.FLOAT64, Shape.of(2, 2));
    private final Tensor theirs = cpu.fromArray(new double[] {5, 6, 7, 8}, DType.FLOAT64, Shape.of(2, 2));

    @Test
    void kernelsAndInPlaceUpdatesRejectAnotherBackendsTensor() {
        assertRejected(() -> nd4j.matmul(mine, false, theirs, false));
        assertRejected(() -> nd4j.clamp(theirs, 0, Double.POSITIVE_INFINITY));
        assertRejected(() -> mine.assign(theirs));
        assertRejected(() -> mine.addScaled(1, theirs));
    }

    @Test
    void layersRejectAMixOfBackends() {
        Tensor b = nd4j.zeros(DType.FLOAT64, Shape.of(2));
        assertRejected(() -> Affine.forward(mine, theirs, b));
    }

    @Test
    void copyToMovesValuesExplicitly() {
        Tensor moved = theirs.copyTo(nd4j);
        assertSame(nd4j, moved.backend());
        assertArrayEquals(theirs.toDoubleArray(), moved.toDoubleArray());
        Tensor back = mine.toDType(DType.FLOAT32).copyTo(cpu);
        assertSame(cpu, back.backend());
        assertArrayEquals(new float[] {1, 2, 3, 4}, back.toFloatArray());
    }

    private static void assertRejected(Executable e) {
        String msg = assertThrows(IllegalArgumentException.class, e).getMessage();
        assertTrue(msg.contains("'cpu'") && msg.contains("nd4j"), "message should name both backends: " + msg);
        assertTrue(msg.contains("copyTo"), "message should say how to move the tensor: " + msg);
    }
}
