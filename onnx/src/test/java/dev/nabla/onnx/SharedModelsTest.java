package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.Shape;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The three models of the shared data's {@code onnx/} folder. The expected values were read from the same files
 * with the Python {@code onnx} package 1.23.1 ({@code onnx.load}, {@code numpy_helper.to_array}; the sums in
 * float64 with numpy), not with this reader.
 */
class SharedModelsTest {
    private static final double TOLERANCE = 1e-9;

    private static OnnxModel read(String name) throws IOException {
        return OnnxReader.read(TestData.file("onnx/" + name));
    }

    @Test
    void mobileNetV2() throws IOException {
        OnnxModel m = read("mobilenet_v2_1.0_224.onnx");
        assertHeader(m, "mobilenet_v2_1.0_224", "gemm_100", 1000);
        assertEquals(Map.of("Add", 10, "Clip", 35, "Conv", 52, "Flatten", 1, "Gemm", 1, "GlobalAveragePool", 1),
                opCounts(m));
        assertEquals(176, m.initializers().size());
        assertEquals(3_487_886, parameterCount(m));
        assertEquals(3288.9878841662503, valueSum(m), 1e-6);

        OnnxTensor conv0 = m.initializer("conv0.weight");
        assertEquals(Shape.of(32, 3, 3, 3), conv0.shape());
        assertSpots(conv0, -0.30602601170539856, -0.5068556070327759, 0.0012994681019335985, 0.02544156089425087);
        OnnxTensor fc = m.initializer("fc0.weight");
        assertEquals(Shape.of(1000, 1280), fc.shape());
        assertSpots(fc, -0.011299969628453255, 0.016008291393518448, 0.017937663942575455, -0.06170252338051796);
        assertEquals(Shape.of(), m.initializer("conv0.clip_max").shape());
        assertEquals(6.0, m.initializer("conv0.clip_max").get(0));

        Node first = m.nodes().get(0);
        assertEquals("n1_Conv", first.name());
        assertEquals(List.of("input", "conv0.weight", "conv0.bias"), first.inputs());
        assertArrayEquals(new long[] {0, 0, 1, 1}, first.getInts("pads"));
        assertArrayEquals(new long[] {2, 2}, first.getInts("strides"));
        Node depthwise = m.nodes().get(2);
        assertEquals(32, depthwise.getInt("group", 1));
        assertEquals(Shape.of(32, 1, 3, 3), m.initializer(depthwise.inputs().get(1)).shape());
        assertEquals(1, m.nodes().get(99).getInt("transB", 0));
    }

    @Test
    void resNet18Width16() throws IOException {
        OnnxModel m = read("resnet18_w16.onnx");
        assertHeader(m, "resnet18_w16", "gemm_69", 10);
        assertEquals(Map.of("Add", 8, "BatchNormalization", 20, "Conv", 20, "Flatten", 1, "Gemm", 1,
                "GlobalAveragePool", 1, "MaxPool", 1, "Relu", 17), opCounts(m));
        assertEquals(102, m.initializers().size());
        assertEquals(705_786, parameterCount(m));
        assertEquals(2404.114901747916, valueSum(m), 1e-6);

        OnnxTensor stem = m.initializer("stem.conv.weight");
        assertEquals(Shape.of(16, 3, 7, 7), stem.shape());
        assertSpots(stem, 0.04249819368124008, -0.036404263228178024, 0.033893343061208725, -0.0774429440498352);
        assertEquals(Shape.of(16, 16, 3, 3), m.initializer("block0.a.conv.weight").shape());
        assertEquals(Shape.of(10, 128), m.initializer("fc.weight").shape());
        float[] runningVar = m.initializer("stem.bn.running_var").floats();
        assertEquals(0.8556213974952698, runningVar[0], TOLERANCE);
        assertEquals(0.519305944442749, runningVar[2], TOLERANCE);

        Node bn = m.nodes().get(1);
        assertEquals("BatchNormalization", bn.opType());
        assertEquals(5, bn.inputs().size());
        assertEquals(9.999999747378752e-06, bn.getFloat("epsilon", 0), TOLERANCE);
        assertEquals(0.8999999761581421, bn.getFloat("momentum", 0), TOLERANCE);
        assertArrayEquals(new long[] {3, 3, 3, 3}, m.nodes().get(0).getInts("pads"));
    }

    @Test
    void digitBatchNormCnn() throws IOException {
        OnnxModel m = read("digit_bn_cnn.onnx");
        assertHeader(m, "digit_bn_cnn", "softmax_14", 10);
        assertEquals(List.of(Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28)), m.inputs().get(0).shape().get());
        assertEquals(Map.of("AveragePool", 1, "BatchNormalization", 2, "Conv", 2, "Dropout", 1, "Flatten", 1,
                "Gemm", 2, "MaxPool", 1, "Relu", 3, "Softmax", 1), opCounts(m));
        assertEquals(17, m.initializers().size());
        assertEquals(207_115, parameterCount(m));
        assertEquals(90.50712045486969, valueSum(m), 1e-7);

        assertEquals(Shape.of(16, 1, 3, 3), m.initializer("conv1.weight").shape());
        assertEquals(Shape.of(32, 16, 3, 3), m.initializer("conv2.weight").shape());
        assertEquals(Shape.of(128, 1568), m.initializer("fc1.weight").shape());
        assertSpots(m.initializer("conv1.weight"), 0.07646338641643524, -0.07932476699352264, -0.21920809149742126,
                0.1535097062587738);
        assertSpots(m.initializer("fc2.bias"), 0.0004728665517177433, 0.0002733328437898308, 0.016865557059645653,
                -0.010815408080816269);
        assertEquals(0.5, m.initializer("dropout.ratio").get(0));
        assertEquals(List.of("relu_11", "dropout.ratio"), m.nodes().get(11).inputs());
        assertEquals(1, m.nodes().get(13).getInt("axis", -1));
    }

    private static void assertHeader(OnnxModel m, String graph, String output, int classes) {
        assertEquals(7, m.irVersion());
        assertEquals(13, m.opsetVersion());
        assertEquals(graph, m.graphName());
        assertEquals(1, m.inputs().size());
        ValueInfo input = m.inputs().get(0);
        assertEquals("input", input.name());
        assertEquals(ElementType.FLOAT, input.elementType());
        assertEquals(Dim.named("N"), input.shape().get().get(0));
        assertEquals(List.of(ValueInfo.of(output, ElementType.FLOAT, Dim.named("N"), Dim.of(classes))), m.outputs());
    }

    // Flat indices 0, 1, size/2 and size-1, as the Python cross-check printed them.
    private static void assertSpots(OnnxTensor t, double first, double second, double middle, double last) {
        float[] v = t.floats();
        assertEquals(first, v[0], TOLERANCE);
        assertEquals(second, v[1], TOLERANCE);
        assertEquals(middle, v[v.length / 2], TOLERANCE);
        assertEquals(last, v[v.length - 1], TOLERANCE);
    }

    private static Map<String, Integer> opCounts(OnnxModel m) {
        Map<String, Integer> counts = new TreeMap<>();
        m.nodes().forEach(n -> counts.merge(n.opType(), 1, Integer::sum));
        return counts;
    }

    private static long parameterCount(OnnxModel m) {
        return m.initializers().values().stream().mapToLong(OnnxTensor::size).sum();
    }

    private static double valueSum(OnnxModel m) {
        double sum = 0;
        for (OnnxTensor t : m.initializers().values()) {
            for (double v : t.toDoubles()) {
                sum += v;
            }
        }
        return sum;
    }
}
