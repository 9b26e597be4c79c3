package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad files and what the importer does not take fail at import with one message that names the file and the node
 * (with its op type), says what is wrong and, for what is not supported, what is.
 */
class ImportErrorsTest {
    @TempDir
    Path dir;

    private static Exception fails(Path file) {
        return assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(file, Backends.get("cpu"),
                DType.FLOAT32));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    /** The model of {@code c}, written and imported, fails with a message holding every one of {@code parts}. */
    private void assertRefused(OpCases c, String... parts) throws IOException {
        Path file = write(c.model());
        assertMentions(fails(file), parts);
        assertMentions(fails(file), file.toString());
    }

    private Path write(OnnxModel m) throws IOException {
        Path file = dir.resolve("bad.onnx");
        OnnxWriter.write(m, file);
        return file;
    }

    /** The digit CNN with its initializers changed: {@code null} removes one. */
    private Path digitWith(Map<String, OnnxTensor> changes) throws IOException {
        OnnxModel m = OnnxReader.read(Reference.file("digit_bn_cnn"));
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(m.initializers());
        changes.forEach((k, v) -> {
            if (v == null) {
                inits.remove(k);
            } else {
                inits.put(k, v);
            }
        });
        return write(new OnnxModel(m.irVersion(), m.opsetVersion(), m.producerName(), m.graphName(), m.graphInputs(),
                m.outputs(), m.nodes(), inits));
    }

    @Test
    void aTruncatedFile() throws IOException {
        byte[] bytes = Files.readAllBytes(Reference.file("digit_bn_cnn"));
        Path file = dir.resolve("truncated.onnx");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertMentions(fails(file), file.toString(), "truncated");
    }

    @Test
    void aMissingInitializer() throws IOException {
        Map<String, OnnxTensor> missing = new LinkedHashMap<>();
        missing.put("conv2.weight", null);
        Path file = digitWith(missing);
        assertMentions(fails(file), file.toString(), "node 'n5_Conv' (Conv)", "conv2.weight");
    }

    @Test
    void aWeightThatIsAGraphInputWithoutAnInitializer() throws IOException {
        OpCases c = OpCases.input(1, 3);
        c.node("MatMul", List.of("x", "w"));
        OnnxModel m = c.model();
        List<ValueInfo> inputs = new ArrayList<>(m.graphInputs());
        inputs.add(ValueInfo.of("w", ElementType.FLOAT, Dim.of(3), Dim.of(2)));
        Path file = write(new OnnxModel(m.irVersion(), m.opsetVersion(), "", "g", inputs, m.outputs(), m.nodes(),
                m.initializers()));
        assertMentions(fails(file), file.toString(), "node 'matmul_0' (MatMul)", "'w' must be a constant",
                "a graph input without an initializer");
    }

    @Test
    void anUnsupportedOp() throws IOException {
        OpCases c = OpCases.input(1, 3);
        c.node("Erf", List.of("x"));
        assertRefused(c, "node 'erf_0' (Erf)", "op type Erf is not supported",
                "supported: Add, AveragePool, BatchNormalization");
        assertTrue(fails(write(c.model())) instanceof OnnxUnsupportedException);
    }

    @Test
    void aShapeThatDoesNotFit() throws IOException {
        Map<String, OnnxTensor> wrong = new LinkedHashMap<>();
        wrong.put("fc1.weight", OnnxTensor.ofFloats("fc1.weight", Shape.of(128, 1500), new float[128 * 1500]));
        Path file = digitWith(wrong);
        assertMentions(fails(file), file.toString(), "node 'n10_Gemm' (Gemm)", "does not fit", "(1, 1568)",
                "(N, 1500)");
    }

    @Test
    void aDeclaredOutputShapeThatDisagrees() throws IOException {
        OpCases c = OpCases.input(1, 3);
        c.node("MatMul", List.of("x", c.weight("w", 3, 2)));
        OnnxModel m = c.model();
        Path file = write(new OnnxModel(m.irVersion(), m.opsetVersion(), "", "g", m.graphInputs(),
                List.of(ValueInfo.of("matmul_0", ElementType.FLOAT, Dim.named("N"), Dim.of(5))), m.nodes(),
                m.initializers()));
        assertMentions(fails(file), file.toString(), "graph output 'matmul_0'", "[N, 5]", "(1, 2)");
    }

    static Stream<Arguments> unsupported() {
        Attribute pads = Attribute.ofInts("kernel_shape", 2, 2);
        return Stream.of(
                Arguments.of("MaxPool", List.of(pads, Attribute.ofInt("ceil_mode", 1)), "ceil_mode = 1",
                        "supported: ceil_mode 0"),
                Arguments.of("MaxPool", List.of(pads, Attribute.ofInts("dilations", 2, 2)), "dilations [2, 2]",
                        "supported: 1"),
                Arguments.of("AveragePool", List.of(pads, Attribute.ofString("auto_pad", "SAME_UPPER")),
                        "auto_pad SAME_UPPER", "supported: NOTSET"),
                Arguments.of("MaxPool", List.of(pads, Attribute.ofInt("storage_order", 1)), "storage_order = 1",
                        "supported: 0"),
                Arguments.of("Softmax", List.of(Attribute.ofInt("axis", 2)), "axis 2", "supported: axis 1"),
                Arguments.of("Flatten", List.of(Attribute.ofInt("axis", 2)), "fold the batch", "supported: axis 1"),
                Arguments.of("Relu", List.of(Attribute.ofFloat("alpha", 1)), "attribute 'alpha' is not supported",
                        "Relu takes none"),
                Arguments.of("LeakyRelu", List.of(Attribute.ofInts("alpha", 1)), "attribute 'alpha' is INTS", ""));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("unsupported")
    void anAttributeValueOutsideTheSupportedSet(String op, List<Attribute> attributes, String what, String supported)
            throws IOException {
        OpCases c = OpCases.input(1, 2, 4, 4);
        c.node(op, List.of("x"), attributes.toArray(Attribute[]::new));
        assertRefused(c, "node '" + op.toLowerCase(java.util.Locale.ROOT) + "_0' (" + op + ")", what, supported);
    }

    @Test
    void broadcastingOtherThanPerChannel() throws IOException {
        OpCases c = OpCases.input(1, 2, 4, 4);
        c.node("Add", List.of("x", c.weight("hw", 4, 4)));
        assertRefused(c, "node 'add_0' (Add)", "'hw' of shape (4, 4) does not broadcast per channel",
                "supported: two computed values of the same shape");
    }

    @Test
    void aReshapeThatFoldsTheBatch() throws IOException {
        OpCases c = OpCases.input(2, 6);
        c.node("Reshape", List.of("x", c.longs("s", 2, 3)));
        assertRefused(c, "node 'reshape_0' (Reshape)", "does not keep the batch axis 0", "supported: a first entry 0");
    }

    @Test
    void gemmOnTransposedData() throws IOException {
        OpCases c = OpCases.input(2, 3);
        c.node("Gemm", List.of("x", c.weight("w", 3, 2)), Attribute.ofInt("transA", 1));
        assertRefused(c, "node 'gemm_0' (Gemm)", "transA = 1", "supported: transA 0");
    }

    @Test
    void aSymbolicSizeOtherThanTheBatch() throws IOException {
        OpCases c = OpCases.input(1, 3);
        c.node("Relu", List.of("x"));
        OnnxModel m = c.model();
        Path file = write(new OnnxModel(m.irVersion(), m.opsetVersion(), "", "g",
                List.of(ValueInfo.of("x", ElementType.FLOAT, Dim.named("N"), Dim.named("C"))), m.outputs(), m.nodes(),
                m.initializers()));
        assertMentions(fails(file), "graph input 'x'", "axis 1 has size C", "only the batch axis 0");
    }

    @Test
    void twoOutputs() throws IOException {
        OpCases c = OpCases.input(1, 3);
        c.node("Relu", List.of("x"));
        OnnxModel m = c.model();
        Path file = write(new OnnxModel(m.irVersion(), m.opsetVersion(), "", "g", m.graphInputs(),
                List.of(m.outputs().get(0), ValueInfo.of("x", ElementType.FLOAT, Dim.named("N"), Dim.of(3))),
                m.nodes(), m.initializers()));
        assertMentions(fails(file), file.toString(), "2 outputs", "supported: one");
    }
}
