package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy sampling on hand-built networks whose argmax path is known: words 0 {@code <NULL>}, 1 {@code <START>},
 * 2 {@code <END>}, 3 "a", 4 "b"; word vectors are one-hot (W_embed = I) and Wx sends each word to the hidden
 * unit of its successor (START -> a -> b -> END), W_vocab = I reads the hidden unit as that word's score.
 */
class CaptioningRNNSampleTest {
    private static final int V = 5;
    private static final int[] NEXT = {0, 3, 0, 4, 2}; // START -> a, a -> b, b -> END

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    private static CaptioningRNN handBuilt(Backend be, CaptioningRNN.Cell cell) {
        CaptioningRNN m = new CaptioningRNN(be, DType.FLOAT64, new CaptioningRNN.Config(V, V, V, V, cell, 0), 0);
        int g = cell == CaptioningRNN.Cell.RNN ? 1 : 4;
        double[] wx = new double[V * g * V];
        double[] b = new double[g * V];
        double[] wh = new double[V * g * V];
        // The RNN's only block, or the LSTM's candidate block g (the 4th).
        int block = (g - 1) * V;
        for (int w = 0; w < V; w++) {
            if (NEXT[w] != 0) {
                wx[w * g * V + block + NEXT[w]] = 2;
            }
            // Wh = I on the same block: h0 (from the features) adds to the first step's scores.
            wh[w * g * V + block + w] = 1;
        }
        if (cell == CaptioningRNN.Cell.LSTM) {
            // Input and output gates open (sigmoid(10) ~ 1), forget gate shut: c = g, h = tanh(g).
            for (int j = 0; j < V; j++) {
                b[j] = 10;
                b[V + j] = -10;
                b[2 * V + j] = 10;
            }
        }
        set(m, "W_embed", identity(be), V, V);
        set(m, "Wx", Tensors.of(be, DType.FLOAT64, wx, V, g * V), V, g * V);
        set(m, "Wh", Tensors.of(be, DType.FLOAT64, wh, V, g * V), V, g * V);
        set(m, "b", Tensors.of(be, DType.FLOAT64, b, g * V), g * V);
        set(m, "W_proj", identity(be), V, V);
        set(m, "b_proj", be.zeros(DType.FLOAT64, dev.nabla.Shape.of(V)), V);
        set(m, "W_vocab", identity(be), V, V);
        set(m, "b_vocab", be.zeros(DType.FLOAT64, dev.nabla.Shape.of(V)), V);
        return m;
    }

    private static Tensor identity(Backend be) {
        double[] v = new double[V * V];
        for (int i = 0; i < V; i++) {
            v[i * V + i] = 1;
        }
        return Tensors.of(be, DType.FLOAT64, v, V, V);
    }

    private static void set(CaptioningRNN m, String name, Tensor value, int... dims) {
        m.params().get(name).assign(value);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void followsTheArgmaxPathAndStopsEachRowAtEnd(String backend) {
        Backend be = Backends.get(backend);
        for (CaptioningRNN.Cell cell : CaptioningRNN.Cell.values()) {
            CaptioningRNN m = handBuilt(be, cell);
            // Row 0: zero features, so h0 = 0 and the path is START -> a -> b -> END.
            // Row 1: features 4 on "b": h0 Wh adds 4 to b's score at step 1, beating a's 2, so b -> END at once.
            Tensor features = Tensors.of(be, DType.FLOAT64, new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 4}, 2, V);
            int[][] out = m.sample(features, 1, 2, 5);
            assertArrayEquals(new int[] {3, 4, 2, 0, 0}, out[0], cell + " row 0");
            assertArrayEquals(new int[] {4, 2, 0, 0, 0}, out[1], cell + " row 1");
            // Too short for <END>: the words so far, no padding.
            assertArrayEquals(new int[] {3, 4}, m.sample(features, 1, 2, 2)[0], cell + " maxLength 2");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void wrongFeatureShapeOrIdsFailClearly(String backend) {
        Backend be = Backends.get(backend);
        CaptioningRNN m = handBuilt(be, CaptioningRNN.Cell.RNN);
        Tensor wrong = be.zeros(DType.FLOAT64, dev.nabla.Shape.of(2, V + 1));
        assertThrows(IllegalArgumentException.class, () -> m.sample(wrong, 1, 2, 5));
        Tensor ok = be.zeros(DType.FLOAT64, dev.nabla.Shape.of(2, V));
        assertThrows(IllegalArgumentException.class, () -> m.sample(ok, 1, V, 5));
        assertThrows(IllegalArgumentException.class, () -> m.sample(ok, 1, 2, 0));
    }
}
