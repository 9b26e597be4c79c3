package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.module.Graph;
import dev.nabla.onnx.proto.OnnxProtos.GraphProto;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import dev.nabla.onnx.proto.OnnxProtos.StringStringEntryProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weights however the file holds them: little-endian {@code raw_data}, the typed {@code float_data} and
 * {@code int64_data} fields, a file beside the model, and weights listed as graph inputs too (older exporters):
 * the imported graph computes the same.
 */
class ImportedDataTest {
    /** x (N, 4) -> Gemm (transB) -> Reshape [-1, 3] -> Relu -> Mul by a Constant 2: the reader's tiny model. */
    private static double[] expected(double[] x) {
        float[] w = TinyModels.WEIGHT.floats();
        float[] b = TinyModels.BIAS.floats();
        double[] y = new double[3];
        for (int o = 0; o < 3; o++) {
            double s = b[o];
            for (int i = 0; i < 4; i++) {
                s += x[i] * w[o * 4 + i];
            }
            y[o] = 2 * Math.max(s, 0);
        }
        return y;
    }

    @ParameterizedTest
    @MethodSource("dev.nabla.onnx.Reference#backends")
    void rawTypedExternalAndListedAsInputs(String backend, @TempDir Path dir) throws IOException {
        Backend be = Backends.get(backend);
        ModelProto proto = OnnxWriter.toProto(TinyModels.small());
        GraphProto.Builder g = proto.getGraph().toBuilder();
        g.setNode(2, g.getNode(2).toBuilder().clearAttribute()); // the reader's test attributes, no Relu's
        // fc.weight in a file beside the model, fc.bias as float_data, the shape as int64_data.
        TensorProto weight = g.getInitializer(0);
        Files.write(dir.resolve("weights.bin"), weight.getRawData().toByteArray());
        g.setInitializer(0, weight.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")));
        TensorProto.Builder bias = g.getInitializer(1).toBuilder().clearRawData();
        for (float v : TinyModels.BIAS.floats()) {
            bias.addFloatData(v);
        }
        g.setInitializer(1, bias);
        TensorProto.Builder shape = g.getInitializer(2).toBuilder().clearRawData();
        for (long v : TinyModels.NEW_SHAPE.longs()) {
            shape.addInt64Data(v);
        }
        g.setInitializer(2, shape);
        // And every initializer listed as a graph input as well, as opset-8-era exporters did.
        List<String> names = new ArrayList<>();
        for (TensorProto t : g.getInitializerList()) {
            g.addInput(proto.getGraph().getInput(0).toBuilder().setName(t.getName()));
            names.add(t.getName());
        }
        Path file = dir.resolve("model.onnx");
        Files.write(file, proto.toBuilder().setGraph(g).build().toByteArray());

        Graph graph = OnnxImporter.load(file, be, DType.FLOAT64);
        assertEquals(List.of("x"), graph.inputNames(), "initializers listed as inputs are constants " + names);
        double[] x = {0.5, -1, 2, 0.25};
        Tensor out = graph.apply(be.fromArray(x, DType.FLOAT64, Shape.of(1, 4)));
        assertArrayEquals(expected(x), out.toDoubleArray(), 1e-12);
    }
}
