package dev.nabla.onnx;

import static dev.nabla.onnx.BadFilesTest.assertMentions;
import static dev.nabla.onnx.BadFilesTest.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.nabla.Shape;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor data in each form ONNX stores it: the typed repeated fields and little-endian raw_data. */
class TensorDataTest {
    @TempDir
    Path dir;

    @Test
    void floatData() throws IOException {
        TensorProto t = tensor(ElementType.FLOAT, 2, 2).addAllFloatData(List.of(1.5f, -2f, 0f, 3.25f)).build();
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f}, read(t).floats());
    }

    @Test
    void doubleData() throws IOException {
        TensorProto t = tensor(ElementType.DOUBLE, 3).addAllDoubleData(List.of(0.1, -1e300, 7.0)).build();
        assertArrayEquals(new double[] {0.1, -1e300, 7.0}, read(t).doubles());
    }

    @Test
    void int32Data() throws IOException {
        TensorProto t = tensor(ElementType.INT32, 1, 3).addAllInt32Data(List.of(-1, Integer.MAX_VALUE, 0)).build();
        OnnxTensor back = read(t);
        assertEquals(Shape.of(1, 3), back.shape());
        assertArrayEquals(new int[] {-1, Integer.MAX_VALUE, 0}, back.ints());
    }

    @Test
    void int64Data() throws IOException {
        TensorProto t = tensor(ElementType.INT64, 2).addAllInt64Data(List.of(Long.MIN_VALUE, 42L)).build();
        assertArrayEquals(new long[] {Long.MIN_VALUE, 42L}, read(t).longs());
    }

    @Test
    void rawDoubleAndInt32() throws IOException {
        OnnxTensor d = OnnxTensor.ofDoubles("w", Shape.of(2), Math.PI, -0.0);
        assertEquals(d, read(OnnxWriter.tensor(d)));
        OnnxTensor i = OnnxTensor.ofInts("w", Shape.of(2, 1), 7, -9);
        assertEquals(i, read(OnnxWriter.tensor(i)));
    }

    @Test
    void emptyTensor() throws IOException {
        OnnxTensor back = read(tensor(ElementType.FLOAT, 0, 5).build());
        assertEquals(Shape.of(0, 5), back.shape());
        assertEquals(0, back.floats().length);
    }

    @Test
    void rawDataAndTypedDataTogether() throws IOException {
        TensorProto t = tensor(ElementType.FLOAT, 1).setRawData(ByteString.copyFrom(new byte[4])).addFloatData(1f)
                .build();
        assertMentions(fails(model(t)), "initializer 'w'", "both raw_data and float_data");
    }

    @Test
    void negativeDim() throws IOException {
        assertMentions(fails(model(tensor(ElementType.FLOAT, 2, -1).build())), "initializer 'w'",
                "dimension 1 is -1");
    }

    @Test
    void noDataForItsDims() throws IOException {
        assertMentions(fails(model(tensor(ElementType.INT32, 2).build())), "initializer 'w'",
                "int32_data holds 0 values but INT32 (2,) needs 2");
    }

    private static TensorProto.Builder tensor(ElementType type, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(type.code());
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private OnnxTensor read(TensorProto t) throws IOException {
        return OnnxReader.read(model(t)).initializer("w");
    }

    /** A model whose only content is the initializer {@code t}, which is also its output. */
    private Path model(TensorProto t) throws IOException {
        ModelProto empty = OnnxWriter.toProto(OnnxModel.of("g", List.of(),
                List.of(ValueInfo.of("w", ElementType.FLOAT)), List.of(), List.of()));
        Path file = dir.resolve("tensor.onnx");
        Files.write(file, empty.toBuilder().setGraph(empty.getGraph().toBuilder().addInitializer(t)).build()
                .toByteArray());
        return file;
    }
}
