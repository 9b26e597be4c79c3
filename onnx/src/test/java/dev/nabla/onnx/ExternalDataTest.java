package dev.nabla.onnx;

import static dev.nabla.onnx.BadFilesTest.assertMentions;
import static dev.nabla.onnx.BadFilesTest.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.onnx.proto.OnnxProtos.GraphProto;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import dev.nabla.onnx.proto.OnnxProtos.StringStringEntryProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Initializers kept outside the model file, laid out as {@code onnx.save_model(..., save_as_external_data=True)}
 * lays them: raw little-endian bytes in a file beside the model, found by the location, offset and length keys.
 */
class ExternalDataTest {
    // Bytes before the weight, so that the offset key matters.
    private static final int OFFSET = 16;

    @TempDir
    Path dir;

    @Test
    void readsTheWeightFromTheFileBesideTheModel() throws IOException {
        Path model = writeExternal("weights.bin", "weights.bin", OFFSET, 48);
        OnnxModel back = OnnxReader.read(model);
        assertEquals(TinyModels.small(), back);
        assertArrayEquals(TinyModels.WEIGHT.floats(), back.initializer("fc.weight").floats());
    }

    @Test
    void lengthMayBeLeftOut() throws IOException {
        Path model = writeExternal("weights.bin", "weights.bin", OFFSET, -1);
        assertEquals(TinyModels.small(), OnnxReader.read(model));
    }

    @Test
    void missingDataFile() throws IOException {
        Path model = writeExternal("weights.bin", "elsewhere.bin", OFFSET, 48);
        assertMentions(fails(model), model.toString(), "initializer 'fc.weight'", "elsewhere.bin is missing");
    }

    @Test
    void dataFileTooShort() throws IOException {
        Path model = writeExternal("weights.bin", "weights.bin", OFFSET + 8, 48);
        assertMentions(fails(model), "initializer 'fc.weight'", "too short", "holds 64 bytes", "from offset 24");
    }

    @Test
    void lengthThatDoesNotFitTheDims() throws IOException {
        Path model = writeExternal("weights.bin", "weights.bin", OFFSET, 40);
        assertMentions(fails(model), "initializer 'fc.weight'", "'length' is 40 bytes", "need 48");
    }

    @Test
    void locationOutsideTheModelFolder() throws IOException {
        Path model = writeExternal("weights.bin", "../weights.bin", OFFSET, 48);
        assertMentions(fails(model), "initializer 'fc.weight'", "'../weights.bin' is outside the model's folder");
    }

    /**
     * The tiny model with {@code fc.weight} moved into {@code dataFile} (after {@link #OFFSET} filler bytes), its
     * tensor pointing at {@code location}, {@code offset} and {@code length} (left out when negative).
     */
    private Path writeExternal(String dataFile, String location, long offset, long length) throws IOException {
        ModelProto proto = OnnxWriter.toProto(TinyModels.small());
        TensorProto weight = proto.getGraph().getInitializer(0);
        byte[] bytes = new byte[OFFSET + weight.getRawData().size()];
        weight.getRawData().copyTo(bytes, OFFSET);
        Files.write(dir.resolve(dataFile), bytes);

        TensorProto.Builder external = weight.toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)));
        if (length >= 0) {
            external.addExternalData(entry("length", Long.toString(length)));
        }
        GraphProto graph = proto.getGraph().toBuilder().setInitializer(0, external).build();
        Path model = dir.resolve("model.onnx");
        Files.write(model, proto.toBuilder().setGraph(graph).build().toByteArray());
        return model;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
