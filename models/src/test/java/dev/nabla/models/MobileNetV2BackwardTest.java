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
import dev.nabla.module.Add;
import dev.nabla.module.Conv2d;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.Graph;
import dev.nabla.module.Linear;
import dev.nabla.module.ReLU6;
import dev.nabla.module.Softmax;
import dev.nabla.onnx.OnnxExporter;
import dev.nabla.train.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagation through an imported graph with every op kind MobileNetV2 uses (strided conv with asymmetric
 * padding, depthwise conv, 1x1 conv, ReLU6, residual add, global pooling, linear, and a trailing softmax that the
 * import leaves out), checked numerically in FLOAT64; and freezing, which leaves only the new head trainable.
 */
class MobileNetV2BackwardTest {
    static Stream<String> backends() {
        return Backends.available().stream();
    }

    /**
     * Writes the graph as ONNX with small random float32 weights (biases positive, so most ReLU6 inputs are inside
     * (0, 6)); returns the file.
     */
    static Path tinyGraph(Path dir) throws IOException {
        Random rng = new Random(3);
        Backend cpu = Backends.get("cpu");
        Graph g = Graph.builder().input("input")
                .node("c0", conv(cpu, rng, new int[] {4, 3, 3, 3}, 0.4, 0.2, 1,
                        new dev.nabla.nn.Conv2d.Spec(2, 2, 0, 0, 1, 1)), "input")
                .node("c0_relu6", new ReLU6(), "c0")
                .node("c1", conv(cpu, rng, new int[] {4, 1, 3, 3}, 0.4, 0.2, 1,
                        dev.nabla.nn.Conv2d.Spec.of(1, 1).withGroups(4)), "c0_relu6")
                .node("c1_relu6", new ReLU6(), "c1")
                .node("c2", conv(cpu, rng, new int[] {4, 4, 1, 1}, 0.5, 0.1, 0, dev.nabla.nn.Conv2d.Spec.VALID), "c1_relu6")
                .node("add0", new Add(), "c0_relu6", "c2")
                .node("pool", new GlobalAvgPool(), "add0")
                .node("fc", new Linear(gaussian(cpu, rng, 0.5, 0, 4, 5), gaussian(cpu, rng, 0.1, 0, 5)), "pool")
                .node("prob", new Softmax(), "fc")
                .build();
        Path file = dir.resolve("tiny.onnx");
        OnnxExporter.write(g, file, Shape.of(1, 3, 6, 6));
        return file;
    }

    private static Conv2d conv(Backend be, Random rng, int[] w, double scale, double biasScale, double biasOffset,
                               dev.nabla.nn.Conv2d.Spec spec) {
        return new Conv2d(gaussian(be, rng, scale, 0, w), gaussian(be, rng, biasScale, biasOffset, w[0]), spec);
    }

    private static Tensor gaussian(Backend be, Random rng, double scale, double offset, int... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[shape.intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (offset + scale * rng.nextGaussian());
        }
        return be.fromArray(v, DType.FLOAT32, shape);
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
