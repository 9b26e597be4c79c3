package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.module.Graph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported op and attribute form, one small model each, imported by Nabla and run by ONNX Runtime on the
 * same input: the outputs agree within 1e-5, on every backend. This is what pins the importer's reading of each
 * op to ONNX's definition.
 */
class ImportedOpsTest {
    private static final Map<String, Supplier<OpCases>> CASES = new LinkedHashMap<>();

    private static void add(String name, Supplier<OpCases> make) {
        CASES.put(name, make);
    }

    private static Attribute ints(String name, long... v) {
        return Attribute.ofInts(name, v);
    }

    static {
        add("Conv groups, strides, asymmetric pads, no bias", () -> {
            OpCases c = OpCases.input(2, 4, 7, 6);
            c.node("Conv", List.of("x", c.weight("w", 6, 2, 3, 2)), ints("strides", 2, 1), ints("pads", 1, 0, 2, 1),
                    Attribute.ofInt("group", 2));
            return c;
        });
        add("Conv depthwise with bias, auto_pad VALID", () -> {
            OpCases c = OpCases.input(2, 4, 6, 6);
            c.node("Conv", List.of("x", c.weight("w", 4, 1, 3, 3), c.weight("b", 4)), Attribute.ofInt("group", 4),
                    Attribute.ofString("auto_pad", "VALID"), ints("kernel_shape", 3, 3));
            return c;
        });
        add("MaxPool with pads and two strides", () -> {
            OpCases c = OpCases.input(2, 3, 7, 6);
            c.node("MaxPool", List.of("x"), ints("kernel_shape", 3, 2), ints("strides", 2, 1), ints("pads", 1, 0, 1, 1));
            return c;
        });
        add("AveragePool excluding the padding", () -> {
            OpCases c = OpCases.input(2, 3, 7, 6);
            c.node("AveragePool", List.of("x"), ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1));
            return c;
        });
        add("AveragePool counting the padding", () -> {
            OpCases c = OpCases.input(2, 3, 5, 6);
            c.node("AveragePool", List.of("x"), ints("kernel_shape", 2, 2), ints("pads", 1, 1, 0, 0),
                    Attribute.ofInt("count_include_pad", 1));
            return c;
        });
        add("GlobalAveragePool into a 1x1 Conv (the 1x1 kept)", () -> {
            OpCases c = OpCases.input(2, 3, 5, 4);
            String g = c.node("GlobalAveragePool", List.of("x"));
            String conv = c.node("Conv", List.of(g, c.weight("w", 4, 3, 1, 1), c.weight("b", 4)));
            c.node("Flatten", List.of(conv));
            return c;
        });
        add("Gemm transB 0 with alpha, beta and C (1, out)", () -> {
            OpCases c = OpCases.input(3, 5);
            c.node("Gemm", List.of("x", c.weight("B", 5, 4), c.weight("C", 1, 4)), Attribute.ofFloat("alpha", 0.5f),
                    Attribute.ofFloat("beta", 2f));
            return c;
        });
        add("Gemm transB 1 with a scalar C, then MatMul", () -> {
            OpCases c = OpCases.input(3, 5);
            String g = c.node("Gemm", List.of("x", c.weight("B", 4, 5), c.weight("C", 1)), Attribute.ofInt("transB", 1));
            c.node("MatMul", List.of(g, c.weight("W", 4, 2)));
            return c;
        });
        add("Relu, LeakyRelu, Sigmoid, Tanh", () -> {
            OpCases c = OpCases.input(2, 3, 4);
            String a = c.node("LeakyRelu", List.of("x"), Attribute.ofFloat("alpha", 0.3f));
            String b = c.node("Sigmoid", List.of(c.node("Relu", List.of(a))));
            c.node("Tanh", List.of(c.node("Add", List.of(a, b))));
            return c;
        });
        add("Clip with a min input and no max; Clip 0..6", () -> {
            OpCases c = OpCases.input(2, 3, 4);
            String low = c.node("Clip", List.of("x", c.floats("lo", Shape.of(), -0.4f), ""));
            String scaled = c.node("Mul", List.of(low, c.floats("ten", Shape.of(), 10f)));
            c.node("Clip", List.of(scaled, c.floats("zero", Shape.of(), 0f), c.floats("six", Shape.of(), 6f)));
            return c;
        });
        add("Add a scalar, Mul per channel (C,1,1), Sub from a (1,C,1,1) constant", () -> {
            OpCases c = OpCases.input(2, 3, 4, 5);
            String a = c.node("Add", List.of("x", c.floats("s", Shape.of(1), 0.75f)));
            String m = c.node("Mul", List.of(c.weight("scale", 3, 1, 1), a));
            c.node("Sub", List.of(c.weight("shift", 1, 3, 1, 1), m));
            return c;
        });
        add("Mul and Sub of computed values, Add per feature (C,) of (N, C)", () -> {
            OpCases c = OpCases.input(4, 6);
            String r = c.node("Relu", List.of("x"));
            String m = c.node("Mul", List.of("x", r));
            String s = c.node("Sub", List.of(m, "x"));
            c.node("Add", List.of(s, c.weight("b", 6)));
            return c;
        });
        add("Concat on axis 1 and on axis -3", () -> {
            OpCases c = OpCases.input(2, 2, 3, 3);
            String a = c.node("Concat", List.of("x", c.node("Relu", List.of("x"))), Attribute.ofInt("axis", 1));
            c.node("Concat", List.of(a, "x"), Attribute.ofInt("axis", -3));
            return c;
        });
        add("Reshape [0, -1] and [-1, 6, 2], Squeeze and Unsqueeze, Flatten, Identity", () -> {
            OpCases c = OpCases.input(2, 3, 4);
            String r = c.node("Reshape", List.of("x", c.longs("flat", 0, -1)));
            String r2 = c.node("Reshape", List.of(r, c.longs("shape", -1, 6, 2)));
            String u = c.node("Unsqueeze", List.of(r2, c.longs("axes", 1, -1)));
            String s = c.node("Squeeze", List.of(u, c.longs("axes2", 4)));
            String t = c.node("Tanh", List.of(c.node("Identity", List.of(s))));
            c.node("Flatten", List.of(t));
            return c;
        });
        add("Pad with zeros on H and W", () -> {
            OpCases c = OpCases.input(2, 3, 4, 5);
            String p = c.node("Pad", List.of("x", c.longs("pads", 0, 0, 1, 2, 0, 0, 2, 0)),
                    Attribute.ofString("mode", "constant"));
            c.node("Conv", List.of(p, c.weight("w", 2, 3, 3, 3)));
            return c;
        });
        add("BatchNormalization of (N, C), epsilon and momentum", () -> {
            OpCases c = OpCases.input(4, 3);
            c.node("BatchNormalization", List.of("x", c.weight("g", 3), c.weight("b", 3), c.weight("m", 3),
                    c.floats("v", Shape.of(3), 0.5f, 1.5f, 2f)), Attribute.ofFloat("epsilon", 1e-3f),
                    Attribute.ofFloat("momentum", 0.8f));
            return c;
        });
        add("Dropout with a ratio input, Softmax, a Constant node", () -> {
            OpCases c = OpCases.input(3, 5);
            String k = c.node("Constant", List.of(), Attribute.ofTensor("value", OnnxTensor.ofFloats("", Shape.of(),
                    3f)));
            String d = c.node("Dropout", List.of("x", c.floats("ratio", Shape.of(), 0.3f)));
            c.node("Softmax", List.of(c.node("Mul", List.of(d, k))), Attribute.ofInt("axis", -1));
            return c;
        });
    }

    static Stream<Arguments> cases() {
        return Reference.backends().flatMap(b -> CASES.keySet().stream().map(name -> Arguments.of(b, name)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void agreesWithOnnxRuntime(String backend, String name, @TempDir Path dir) throws IOException, OrtException {
        Backend be = Backends.get(backend);
        OpCases c = CASES.get(name).get();
        Path file = dir.resolve("case.onnx");
        OnnxWriter.write(c.model(), file);
        Graph g = OnnxImporter.load(file, be, DType.FLOAT32);
        Tensor x = Tensors.randn(be, DType.FLOAT32, new Random(5), 1, c.shape().dims());
        float[] expected = OnnxRuntime.run(file, "x", x.toFloatArray(), x.shape());
        Tensor out = g.apply(x);
        double diff = Reference.maxAbs(out.toDoubleArray(), OnnxRuntime.doubles(expected));
        assertTrue(out.size() == expected.length && diff < 1e-5, name + " on " + backend + ": " + out.shape()
                + ", max abs difference " + diff);
    }
}
