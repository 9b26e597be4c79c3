package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    private static final Backend CPU = Backends.get("cpu");

    @Test
    void reloadedModelPredictsExactlyWhatTheSavedOneDid(@TempDir Path dir) throws IOException {
        DigitModels.Choice choice = new DigitModels.Choice(DigitModels.Kind.CNN, 30, 5);
        ConvNet saved = (ConvNet) DigitModels.build(choice, CPU, DType.FLOAT32, 1);
        Tensor x = Tensors.uniform(CPU, DType.FLOAT32, new Random(2), 0, 1, 4, 1, 28, 28);
        ModelStore.save(dir.resolve("m"), saved, choice.describe());

        Map<String, Object> config = ModelStore.config(dir.resolve("m"));
        assertEquals(5, config.get("filter_size"));
        ConvNet loaded = (ConvNet) DigitModels.build(choice, CPU, DType.FLOAT32, 42); // other initial weights
        ModelStore.load(dir.resolve("m"), loaded);
        assertArrayEquals(saved.scores(x).toFloatArray(), loaded.scores(x).toFloatArray());
        assertTrue(Files.readString(dir.resolve("m/model.json")).contains("\"shape\" : [ 32, 1, 5, 5 ]"));
    }

    @Test
    void missingOrMisshapenParametersFailClearly(@TempDir Path dir) throws IOException {
        TwoLayerNet net = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(4, 3, 2, 0, 0), 1);
        ModelStore.save(dir.resolve("m"), net, Map.of());
        TwoLayerNet wider = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(4, 5, 2, 0, 0), 1);
        IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir.resolve("m"), wider));
        assertTrue(e.getMessage().contains("fc1.weight") && e.getMessage().contains("(4, 3)")
                && e.getMessage().contains("(4, 5)"), e.getMessage());
        Files.delete(dir.resolve("m/fc2.bias.npy"));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> ModelStore.load(dir.resolve("m"), net));
        assertTrue(missing.getMessage().contains("fc2.bias.npy"), missing.getMessage());
    }

    @Test
    void savingReplacesTheFolderWhole(@TempDir Path dir) throws IOException {
        TwoLayerNet net = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(4, 3, 2, 0, 0), 1);
        Path m = dir.resolve("m");
        Files.createDirectories(m);
        Files.writeString(m.resolve("stale.txt"), "from an older run");
        ModelStore.save(m, net, Map.of());
        assertTrue(Files.notExists(m.resolve("stale.txt")));
        assertEquals(4 * 3, Npy.read(m.resolve("fc1.weight.npy")).size());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary folder is left behind");
        }
    }
}
