package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.check.GradientCheck;
import dev.nabla.io.Npy;
import dev.nabla.train.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagation through a model.json graph with every op kind MobileNetV2 uses (strided conv with
 * asymmetric padding, depthwise conv, 1x1 conv, ReLU6, residual add, global pooling, linear),
 * checked numerically in FLOAT64; and freezing, which leaves only the new head trainable.
 */
class MobileNetV2BackwardTest {
    private static final String GRAPH = """
            {"op": "conv2d", "name": "c0", "input": "input", "weight": "c0_w.npy", "bias": "c0_b.npy",
             "in_channels": 3, "out_channels": 4, "kernel": [3, 3], "stride": [2, 2], "groups": 1,
             "pad": [0, 0, 1, 1], "activation": "relu6"},
            {"op": "conv2d", "name": "c1", "input": "c0", "weight": "c1_w.npy", "bias": "c1_b.npy",
             "in_channels": 4, "out_channels": 4, "kernel": [3, 3], "stride": [1, 1], "groups": 4,
             "pad": [1, 1, 1, 1], "activation": "relu6"},
            {"op": "conv2d", "name": "c2", "input": "c1", "weight": "c2_w.npy", "bias": "c2_b.npy",
             "in_channels": 4, "out_channels": 4, "kernel": [1, 1], "stride": [1, 1], "groups": 1,
             "pad": [0, 0, 0, 0], "activation": "none"},
            {"op": "add", "name": "add0", "inputs": ["c0", "c2"]},
            {"op": "global_avg_pool", "name": "pool", "input": "add0"},
            {"op": "linear", "name": "fc", "input": "pool", "weight": "fc_w.npy", "bias": "fc_b.npy",
             "in_features": 4, "out_features": 5},
            {"op": "softmax", "name": "prob", "input": "fc"}""";

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    /** Writes the graph with small random float32 weights (biases positive, so most ReLU6 inputs are inside (0, 6)). */
    static Path tinyGraph(Path dir) throws IOException {
        Random rng = new Random(3);
        weight(dir, "c0_w.npy", rng, 0.4, 0, 4, 3, 3, 3);
        weight(dir, "c0_b.npy", rng, 0.2, 1, 4);
        weight(dir, "c1_w.npy", rng, 0.4, 0, 4, 1, 3, 3);
        weight(dir, "c1_b.npy", rng, 0.2, 1, 4);
        weight(dir, "c2_w.npy", rng, 0.5, 0, 4, 4, 1, 1);
        weight(dir, "c2_b.npy", rng, 0.1, 0, 4);
        weight(dir, "fc_w.npy", rng, 0.5, 0, 5, 4);
        weight(dir, "fc_b.npy", rng, 0.1, 0, 5);
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"npy-cnn-v1\", \"input\": {\"name\": \"input\"},"
                + " \"ops\": [" + GRAPH + "]}");
        return dir;
    }

    private static void weight(Path dir, String name, Random rng, double scale, double offset, int... dims)
            throws IOException {
        Shape shape = Shape.of(dims);
        float[] v = new float[shape.intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (offset + scale * rng.nextGaussian());
        }
        Npy.write(dir.resolve(name), shape, v);
    }

    private static Tensor input(Backend be) {
        return Tensors.uniform(be, DType.FLOAT64, new Random(7), 0, 1, 2, 3, 6, 6);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyParameterGradientMatchesTheNumericOne(String backendName, @TempDir Path dir) throws IOException {
        Backend be = Backends.get(backendName);
        MobileNetV2 net = MobileNetV2.load(tinyGraph(dir), be, DType.FLOAT64);
        Tensor x = input(be);
        int[] y = {1, 3};
        Model.Loss loss = net.loss(x, y);
        assertEquals(net.params().keySet(), loss.grads().keySet());
        assertEquals(8, loss.grads().size());
        for (Map.Entry<String, Tensor> p : net.params().entrySet()) {
            double[] numeric = GradientCheck.numericGradient(() -> net.loss(x, y).value(), p.getValue(),
                    GradientCheck.H);
            double err = GradientCheck.relError(loss.grads().get(p.getKey()).toDoubleArray(), numeric);
            assertTrue(err < 1e-6, p.getKey() + " on " + backendName + ": relative error " + err);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aFrozenNetworkTrainsOnlyItsNewHead(String backendName, @TempDir Path dir) throws IOException {
        Backend be = Backends.get(backendName);
        MobileNetV2 pretrained = MobileNetV2.load(tinyGraph(dir), be, DType.FLOAT64);
        MobileNetV2 net = pretrained.withClassifier(2, 11);
        assertEquals(2, net.classes());
        assertEquals(5, pretrained.classes(), "the original keeps its head");
        Tensor x = input(be);
        // A new (in, 2) head on the same feature weights (shared, as PyTorch's module replacement does).
        assertEquals(Shape.of(4, 2), net.allParams().get("fc.weight").shape());
        assertSame(pretrained.allParams().get("c1.weight"), net.allParams().get("c1.weight"));
        assertEquals(Shape.of(2, 2), net.scores(x).shape());

        net.freezeFeatures(true);
        assertTrue(net.featuresFrozen());
        assertEquals(Set.of("fc.weight", "fc.bias"), net.params().keySet());
        assertEquals(8, net.allParams().size());
        int[] y = {0, 1};
        Model.Loss loss = net.loss(x, y);
        assertEquals(Set.of("fc.weight", "fc.bias"), loss.grads().keySet());
        for (Map.Entry<String, Tensor> p : net.params().entrySet()) {
            double[] numeric = GradientCheck.numericGradient(() -> net.loss(x, y).value(), p.getValue(),
                    GradientCheck.H);
            double err = GradientCheck.relError(loss.grads().get(p.getKey()).toDoubleArray(), numeric);
            assertTrue(err < 1e-7, p.getKey() + " frozen on " + backendName + ": relative error " + err);
        }
        // The frozen loss equals the full one: freezing changes what is trained, not the function.
        net.freezeFeatures(false);
        assertEquals(net.loss(x, y).value(), loss.value(), 1e-12);
        assertEquals(8, net.params().size());
    }
}
