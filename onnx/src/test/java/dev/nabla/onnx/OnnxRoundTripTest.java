package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.module.Graph;
import dev.nabla.module.Sequential;
import dev.nabla.module.Tanh;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported and imported back, a network computes what it did, with the same parameter names: the shared models
 * after their import, and a graph built in Nabla with every exportable module, on every backend.
 */
class OnnxRoundTripTest {
    private static final DType F32 = DType.FLOAT32;

    static Stream<Arguments> sharedModels() {
        return Reference.backends().flatMap(b -> Stream.of("resnet18_w16", "digit_bn_cnn", "mobilenet_v2_1.0_224")
                .map(m -> Arguments.of(b, Reference.ALL.stream().filter(r -> r.model().equals(m)).findFirst()
                        .orElseThrow())));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("sharedModels")
    void anImportedModelComesBackTheSame(String backend, Reference r, @TempDir Path dir) throws IOException {
        Backend be = Backends.get(backend);
        Graph imported = OnnxImporter.load(r.file(), be, F32);
        Tensor x = r.input(be, F32);
        Path file = dir.resolve(r.model() + ".onnx");
        OnnxExporter.write(imported, file, x.shape());
        Graph back = OnnxImporter.load(file, be, F32);
        assertEquals(imported.state().keySet(), back.state().keySet());
        assertEquals(imported.nodes().stream().map(Graph.Node::name).toList(),
                back.nodes().stream().map(Graph.Node::name).toList());
        assertArrayEquals(imported.apply(x).toFloatArray(), back.apply(x).toFloatArray(), 0f, r + " on " + backend);
    }

    @ParameterizedTest
    @MethodSource("dev.nabla.onnx.Reference#backends")
    void aGraphOfEveryExportableModuleComesBackTheSame(String backend, @TempDir Path dir) throws IOException {
        Backend be = Backends.get(backend);
        Graph g = ExportedModules.build(be, F32, 1);
        Path file = dir.resolve("every.onnx");
        OnnxExporter.write(g, file, ExportedModules.INPUT);
        OnnxModel m = OnnxReader.read(file);
        assertEquals(13, m.opsetVersion());
        assertEquals("N", m.inputs().get(0).shape().orElseThrow().get(0).param());
        Graph back = OnnxImporter.load(file, be, F32);
        assertEquals(g.parameters().keySet(), back.parameters().keySet(),
                "the nested stem's names kept as paths, the depthwise conv used twice still one module");
        assertSame(back.children().get("dw1"), back.children().get("dw2"));
        // The channel affine comes back as its Mul and its Add by constants: x * a, then + b, as it computed.
        assertEquals(List.of("affine_scale.scale", "affine_scale.shift", "affine.scale", "affine.shift"),
                back.buffers().keySet().stream().filter(k -> k.startsWith("affine")).toList());
        Tensor x = Tensors.randn(be, F32, new Random(2), 1, ExportedModules.INPUT.dims());
        assertArrayEquals(g.apply(x).toFloatArray(), back.apply(x).toFloatArray(), 0f);
    }

    @Test
    void aModuleThatDoesNotExportIsNamedWithItsPath() {
        Backend be = Backends.get("cpu");
        Graph g = Sequential.named().add("block", Sequential.named().add("t", new Tanh())
                .add("odd", new dev.nabla.module.Module() {
                    @Override
                    public Shape outputShape(Shape... inputs) {
                        return inputs[0];
                    }

                    @Override
                    public dev.nabla.nn.Forward<?> forward(dev.nabla.module.Mode mode, Tensor... inputs) {
                        return new dev.nabla.nn.Forward<>(inputs[0].copy(), null);
                    }

                    @Override
                    public Tensor[] backward(Tensor dout, Object cache, dev.nabla.module.Gradients grads) {
                        return new Tensor[] {dout.copy()};
                    }

                    @Override
                    public String kind() {
                        return "Odd";
                    }
                }).build()).build();
        String msg = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toModel(g, "g",
                Shape.of(1, 3))).getMessage();
        assertTrue(msg.contains("'block.odd'") && msg.contains("Odd") && msg.contains("supported: Add"), msg);
        assertEquals(List.of("cpu"), List.of(be.name()));
    }
}
