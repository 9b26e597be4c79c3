package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.io.TestData;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer writes reads back as the same view, and the file is written whole or not at all. */
class RoundTripTest {
    @TempDir
    Path dir;

    @Test
    void smallModelReadsBackEqual() throws IOException {
        OnnxModel model = TinyModels.small();
        Path file = dir.resolve("tiny.onnx");
        OnnxWriter.write(model, file);
        OnnxModel back = OnnxReader.read(file);
        assertEquals(model, back);
        assertEquals("nabla", back.producerName());
        assertEquals(8, back.irVersion());
        assertEquals(13, back.opsetVersion());
        assertArrayEquals(TinyModels.WEIGHT.floats(), back.initializer("fc.weight").floats());
        assertArrayEquals(new long[] {-1, 3}, back.initializer("reshape.shape").longs());
        assertEquals("héllo", back.nodes().get(2).getString("unused_string", ""));
        assertEquals(2.0, back.nodes().get(3).getTensor("value").doubles()[0]);
    }

    @Test
    void writtenFileIsPlainOnnx() throws IOException {
        Path file = dir.resolve("tiny.onnx");
        OnnxWriter.write(TinyModels.small(), file);
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals("", proto.getOpsetImport(0).getDomain());
        assertEquals(48, proto.getGraph().getInitializer(0).getRawData().size());
        // Little-endian: 0.5f is 0x3F000000, so its first byte on disk is 0.
        assertEquals(0x3F, proto.getGraph().getInitializer(0).getRawData().byteAt(3) & 0xFF);
    }

    @Test
    void sharedModelReadsBackEqual() throws IOException {
        OnnxModel model = OnnxReader.read(TestData.file("onnx/resnet18_w16.onnx"));
        Path file = dir.resolve("resnet.onnx");
        OnnxWriter.write(model, file);
        OnnxModel back = OnnxReader.read(file);
        assertEquals("nabla", back.producerName());
        assertEquals(new OnnxModel(model.irVersion(), model.opsetVersion(), "nabla", model.graphName(),
                model.graphInputs(), model.outputs(), model.nodes(), model.initializers()), back);
    }

    @Test
    void unnamedNodeGetsItsOpTypeAndPosition() throws IOException {
        List<Node> nodes = new ArrayList<>(TinyModels.small().nodes());
        Node relu = nodes.get(2);
        nodes.set(2, new Node("", relu.opType(), relu.inputs(), relu.outputs(), relu.attributes()));
        // A given name that the generated one would take moves it aside.
        Node mul = nodes.get(4);
        nodes.set(4, new Node("Relu_2", mul.opType(), mul.inputs(), mul.outputs(), mul.attributes()));
        Path file = dir.resolve("unnamed.onnx");
        OnnxWriter.write(TinyModels.withNodes(nodes), file);
        List<Node> back = OnnxReader.read(file).nodes();
        assertEquals("Relu_2_1", back.get(2).name());
        assertEquals("Relu_2", back.get(4).name());
    }

    @Test
    void weightsListedAsInputsAreConstants() throws IOException {
        OnnxModel m = TinyModels.small();
        List<ValueInfo> inputs = new ArrayList<>(m.graphInputs());
        inputs.add(ValueInfo.of("fc.weight", ElementType.FLOAT, Dim.of(3), Dim.of(4)));
        inputs.add(ValueInfo.of("fc.bias", ElementType.FLOAT, Dim.of(3)));
        Path file = dir.resolve("old-style.onnx");
        OnnxWriter.write(new OnnxModel(7, 11, "", "g", inputs, m.outputs(), m.nodes(), m.initializers()), file);
        OnnxModel back = OnnxReader.read(file);
        assertEquals(3, back.graphInputs().size());
        assertEquals(List.of(m.graphInputs().get(0)), back.inputs());
        assertEquals(11, back.opsetVersion());
    }

    @Test
    void unknownRankAndDimsSurvive() throws IOException {
        OnnxModel m = TinyModels.small();
        List<ValueInfo> inputs = List.of(new ValueInfo("x", ElementType.FLOAT, Optional.empty()));
        List<ValueInfo> outputs = List.of(ValueInfo.of("y", ElementType.FLOAT, Dim.UNKNOWN, Dim.named("C")));
        Path file = dir.resolve("shapes.onnx");
        OnnxModel model = new OnnxModel(8, 13, "nabla", "g", inputs, outputs, m.nodes(), m.initializers());
        OnnxWriter.write(model, file);
        assertEquals(model, OnnxReader.read(file));
    }

    @Test
    void failedWriteLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("model.onnx");
        OnnxWriter.write(TinyModels.small(), file);
        byte[] before = Files.readAllBytes(file);
        // A folder in the way of the rename makes the write fail after the temporary file was written.
        Path blocked = dir.resolve("blocked.onnx");
        Files.createDirectory(blocked);
        Files.writeString(blocked.resolve("keep"), "x");
        assertThrows(IOException.class, () -> OnnxWriter.write(TinyModels.small(), blocked));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("blocked.onnx", "model.onnx"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }
}
