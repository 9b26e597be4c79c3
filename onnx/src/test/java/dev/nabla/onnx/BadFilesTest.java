package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.nabla.io.TestData;
import dev.nabla.onnx.proto.OnnxProtos.GraphProto;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and unsupported files: each fails with a message naming the file and the node or tensor at fault. */
class BadFilesTest {
    @TempDir
    Path dir;

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(TestData.file("onnx/digit_bn_cnn.onnx"));
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        OnnxFormatException e = fails(cut);
        assertMentions(e, cut.toString(), "truncated or not protobuf");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        Path file = dir.resolve("noise.onnx");
        Files.write(file, noise);
        assertMentions(fails(file), file.toString(), "not an ONNX model");
    }

    @Test
    void textFileThatParsesAsProtobuf() throws IOException {
        // 'h' is a valid protobuf tag (field 13, varint): such a file parses, and only the checks after it fail.
        Path file = dir.resolve("text.onnx");
        Files.writeString(file, "hi");
        assertMentions(fails(file), file.toString(), "not an ONNX model: it has no graph");
    }

    @Test
    void inputThatNothingProduces() throws IOException {
        List<Node> nodes = new ArrayList<>(TinyModels.small().nodes());
        nodes.set(4, new Node("mul", "Mul", List.of("a", "missing.weight"), List.of("y"), List.of()));
        Path file = write(TinyModels.withNodes(nodes));
        assertMentions(fails(file), file.toString(), "node 'mul' (Mul)", "input 'missing.weight'",
                "produced by no initializer, graph input or earlier node");
    }

    @Test
    void inputProducedOnlyByALaterNode() throws IOException {
        List<Node> nodes = new ArrayList<>(TinyModels.small().nodes());
        nodes.add(0, nodes.remove(4));
        assertMentions(fails(write(TinyModels.withNodes(nodes))), "node 'mul' (Mul)", "input 'a'");
    }

    @Test
    void graphOutputThatNothingProduces() throws IOException {
        List<Node> nodes = new ArrayList<>(TinyModels.small().nodes());
        nodes.remove(4);
        assertMentions(fails(write(TinyModels.withNodes(nodes))), "graph output 'y'", "produced by no node");
    }

    @Test
    void unsupportedOpset() throws IOException {
        OnnxModel m = TinyModels.small();
        for (int opset : new int[] {10, 22}) {
            Path file = write(new OnnxModel(8, opset, "", "g", m.graphInputs(), m.outputs(), m.nodes(),
                    m.initializers()));
            OnnxFormatException e = fails(file);
            assertInstanceOf(OnnxUnsupportedException.class, e);
            assertMentions(e, file.toString(), "opset " + opset, "11-21");
        }
    }

    @Test
    void noDefaultDomainOpset() throws IOException {
        Path file = writeProto(p -> p.setOpsetImport(0, p.getOpsetImport(0).toBuilder().setDomain("ai.onnx.ml")));
        assertMentions(fails(file), "imports no opset of the default ONNX domain");
    }

    @Test
    void nodeOfAnotherDomain() throws IOException {
        Path file = writeProto(p -> p.setGraph(p.getGraph().toBuilder().setNode(1,
                p.getGraph().getNode(1).toBuilder().setDomain("com.microsoft"))));
        OnnxFormatException e = fails(file);
        assertInstanceOf(OnnxUnsupportedException.class, e);
        assertMentions(e, "node 'reshape' (Reshape)", "domain 'com.microsoft'");
    }

    @Test
    void rawDataOfTheWrongLength() throws IOException {
        Path file = writeProto(p -> withInitializer(p, 0, t -> t.setRawData(t.getRawData().substring(4))));
        assertMentions(fails(file), file.toString(), "initializer 'fc.weight'", "raw_data holds 44 bytes",
                "FLOAT (3, 4) needs 48");
    }

    @Test
    void typedDataOfTheWrongLength() throws IOException {
        Path file = writeProto(p -> withInitializer(p, 2, t -> t.clearRawData().addInt64Data(5)));
        assertMentions(fails(file), "initializer 'reshape.shape'", "int64_data holds 1 values",
                "INT64 (2,) needs 2");
    }

    @Test
    void unsupportedElementType() throws IOException {
        Path file = writeProto(p -> withInitializer(p, 1, t -> t.setDataType(ElementType.BOOL.code())
                .setRawData(ByteString.copyFrom(new byte[3]))));
        OnnxFormatException e = fails(file);
        assertInstanceOf(OnnxUnsupportedException.class, e);
        assertMentions(e, "initializer 'fc.bias'", "element type BOOL is not supported");
    }

    @Test
    void brokenConstantValue() throws IOException {
        Path file = writeProto(p -> {
            GraphProto.Builder g = p.getGraph().toBuilder();
            g.getNodeBuilder(3).getAttributeBuilder(0).getTBuilder().setRawData(ByteString.copyFrom(new byte[3]));
            return p.setGraph(g);
        });
        assertMentions(fails(file), "node 'two' (Constant), attribute 'value'", "raw_data holds 3 bytes");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.onnx");
        IOException e = assertThrows(IOException.class, () -> OnnxReader.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void exceptionKnowsItsFile() {
        OnnxFormatException e = new OnnxFormatException(Path.of("m.onnx"), "node 'a' (Relu)", "broken");
        assertEquals("m.onnx: node 'a' (Relu): broken", e.getMessage());
        assertEquals(Path.of("m.onnx"), e.file());
    }

    private Path write(OnnxModel model) throws IOException {
        Path file = dir.resolve("model.onnx");
        OnnxWriter.write(model, file);
        return file;
    }

    /** Writes the tiny model's protobuf after {@code change}, for breakage the plain view cannot express. */
    private Path writeProto(UnaryOperator<ModelProto.Builder> change) throws IOException {
        Path file = dir.resolve("model.onnx");
        Files.write(file, change.apply(OnnxWriter.toProto(TinyModels.small()).toBuilder()).build().toByteArray());
        return file;
    }

    private static ModelProto.Builder withInitializer(ModelProto.Builder p, int index,
                                                      UnaryOperator<TensorProto.Builder> change) {
        GraphProto.Builder g = p.getGraph().toBuilder();
        g.setInitializer(index, change.apply(g.getInitializer(index).toBuilder()));
        return p.setGraph(g);
    }

    static OnnxFormatException fails(Path file) {
        return assertThrows(OnnxFormatException.class, () -> OnnxReader.read(file));
    }

    static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
