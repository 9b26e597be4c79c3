package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.module.BatchNorm;
import dev.nabla.module.Dropout;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.Graph;
import dev.nabla.module.Linear;
import dev.nabla.module.ReLU6;
import dev.nabla.module.Softmax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three shared models, imported, reproduce their reference outputs on every backend: ONNX Runtime's float32
 * logits within 1e-4 in FLOAT32, and a float64 rerun of the same model within 1e-9 (relative to the largest
 * output) in FLOAT64. The imported graphs keep the files' parameter names and statistics.
 */
class OnnxImportTest {
    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everywhere() {
        return Reference.everywhere();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("everywhere")
    void float32ReproducesOnnxRuntime(String backend, Reference r) throws IOException {
        Backend be = Backends.get(backend);
        Graph g = OnnxImporter.load(r.file(), be, F32);
        Tensor out = g.apply(r.input(be, F32));
        double diff = Reference.maxAbs(out.toDoubleArray(), r.onnxRuntime());
        System.out.printf(Locale.ROOT, "import %s on %s, FLOAT32: max |nabla - onnxruntime| = %.3e%n", r, backend, diff);
        assertTrue(diff < 1e-4, r + " on " + backend + ": max abs difference " + diff);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("everywhere")
    void float64ReproducesAFloat64Rerun(String backend, Reference r, @TempDir Path tmp) throws IOException {
        Backend be = Backends.get(backend);
        Graph g = OnnxImporter.load(r.file(), be, F64);
        double[] out = g.apply(r.input(be, F64)).toDoubleArray();
        double rel = Reference.scaled(out, r.float64(tmp));
        System.out.printf(Locale.ROOT, "import %s on %s, FLOAT64: max |nabla - float64 rerun| / max |rerun| = %.3e,"
                + " max |nabla - onnxruntime| = %.3e%n", r, backend, rel, Reference.maxAbs(out, r.onnxRuntime()));
        assertTrue(rel < 1e-9, r + " on " + backend + ": relative difference " + rel);
    }

    @Test
    void mobileNetV2KeepsTheFilesNamesAndNeedsNoFlattenNode() throws IOException {
        Graph g = OnnxImporter.load(Reference.file("mobilenet_v2_1.0_224"), Backends.get("cpu"), F32);
        List<String> names = g.nodes().stream().map(Graph.Node::name).toList();
        assertEquals(52 + 35 + 10 + 2, names.size(), "convolutions, ReLU6s, adds, the pool and the classifier");
        assertEquals(List.of("conv0", "n2_Clip", "dwconv0", "n4_Clip", "conv1"), names.subList(0, 5));
        assertEquals(35, g.nodes().stream().filter(n -> n.module() instanceof ReLU6).count());
        assertEquals("fc0", g.outputNode().name());
        Linear fc = (Linear) g.outputNode().module();
        assertEquals(Shape.of(1280, 1000), fc.weight().value().shape(), "Gemm's (out, in) weight transposed");
        assertTrue(g.nodes().get(names.size() - 2).module() instanceof GlobalAvgPool, "the Flatten is a view");
        Map<String, ?> params = g.parameters();
        assertEquals(106, params.size());
        assertTrue(params.containsKey("conv0.weight") && params.containsKey("dwconv16.bias")
                && params.containsKey("fc0.bias"), params.keySet().toString());
        OnnxModel m = OnnxReader.read(Reference.file("mobilenet_v2_1.0_224"));
        float[] w = m.initializer("fc0.weight").floats();
        assertEquals(w[1280 * 7 + 3], fc.weight().value().get(3, 7), 0, "fc0.weight[7, 3] is Nabla's [3, 7]");
    }

    @Test
    void resNetBatchNormsHoldTheFilesStatistics() throws IOException {
        Graph g = OnnxImporter.load(Reference.file("resnet18_w16"), Backends.get("cpu"), F64);
        BatchNorm bn = (BatchNorm) g.children().get("stem.bn");
        OnnxModel m = OnnxReader.read(Reference.file("resnet18_w16"));
        assertArrayEquals(toDoubles(m.initializer("stem.bn.running_var").floats()), bn.runningVar().toDoubleArray(), 0);
        assertEquals(1e-5, bn.eps(), 0, "epsilon read as the decimal the float stands for");
        assertEquals(0.1, bn.momentum(), 0, "ONNX's momentum 0.9 weighs the old value: Nabla's 0.1");
        assertTrue(g.parameters().containsKey("block2.down.conv.weight"));
        assertTrue(g.buffers().containsKey("block7.b.bn.running_mean"));
        assertTrue(!g.parameters().containsKey("stem.conv.bias"), "a convolution without B has no bias");
    }

    @ParameterizedTest
    @MethodSource("dev.nabla.onnx.Reference#backends")
    void logitsDropTheTrailingSoftmax(String backend) throws IOException {
        Backend be = Backends.get(backend);
        Reference r = Reference.ALL.get(3);
        Graph probabilities = OnnxImporter.load(r.file(), be, F64);
        Graph logits = OnnxImporter.load(r.file(), OnnxImporter.Options.of(be, F64).logits(true));
        assertTrue(probabilities.outputNode().module() instanceof Softmax);
        assertEquals("fc2", logits.outputNode().name());
        assertEquals(probabilities.nodes().size() - 1, logits.nodes().size());
        Tensor x = r.input(be, F64);
        assertArrayEquals(probabilities.apply(x).toDoubleArray(), new Softmax().apply(logits.apply(x)).toDoubleArray(),
                1e-15);
        Dropout drop = (Dropout) logits.children().get("n12_Dropout");
        assertEquals(0.5, drop.p(), 0, "the ratio input of the file");
        // The MobileNetV2 file has no Softmax: the option changes nothing there.
        Graph mobile = OnnxImporter.load(Reference.file("mobilenet_v2_1.0_224"),
                OnnxImporter.Options.of(be, F32).logits(true));
        assertEquals("fc0", mobile.outputNode().name());
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
