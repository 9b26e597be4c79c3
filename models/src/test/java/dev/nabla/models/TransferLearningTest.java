package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backends;
import dev.nabla.Tensor;
import dev.nabla.io.TestData;
import dev.nabla.models.TransferLearning.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short epoch of each scenario on a few real ants and bees: freezing trains the new head and nothing else. */
class TransferLearningTest {
    private static final Path MODEL = TestData.file(MobileNetV2.DEFAULT_FILE);
    private static final Path IMAGES = TestData.dir().resolve("hymenoptera_data");

    /** A small image folder of links to the first {@code perClass} real images of each class and split. */
    static Path fewImages(Path root, int perClass) throws IOException {
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("ants", "bees")) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(IMAGES.resolve(split).resolve(cls))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(perClass).toList()) {
                        Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
                    }
                }
            }
        }
        return root;
    }

    private static Map<String, float[]> values(MobileNetV2 net) {
        Map<String, float[]> m = new LinkedHashMap<>();
        net.allParams().forEach((k, v) -> m.put(k, v.toFloatArray()));
        return m;
    }

    private static TransferLearning.Options oneEpoch() {
        return TransferLearning.Options.tutorial().withEpochs(1);
    }

    @Test
    void aFrozenEpochChangesOnlyTheNewClassifier(@TempDir Path tmp) throws IOException {
        Path data = fewImages(tmp, 4);
        MobileNetV2 net = TransferLearning.model(MODEL, Backends.get("cpu"), 2, Mode.FREEZE, 0);
        Map<String, float[]> before = values(net);
        TransferLearning.Result r = TransferLearning.run(net, MobileNetV2.PREPROCESSING, data, Mode.FREEZE,
                oneEpoch());
        Map<String, float[]> after = values(net);
        assertEquals(java.util.Set.of("fc0.weight", "fc0.bias"), net.params().keySet(),
                "only the classifier is trainable");
        for (String name : before.keySet()) {
            boolean same = Arrays.equals(before.get(name), after.get(name));
            if (net.params().containsKey(name)) {
                assertFalse(same, name + " is trainable and should have changed");
            } else {
                assertTrue(same, name + " is frozen but changed");
            }
        }
        assertEquals(1, r.history().size());
        assertEquals(8, r.trainImages());
        assertEquals(8, r.predictions().size());
        assertEquals(r.bestValAcc(), r.valAccuracy(), 1e-12, "the restored weights score the best val accuracy");
    }

    @Test
    void fineTuningChangesEveryLayer(@TempDir Path tmp) throws IOException {
        Path data = fewImages(tmp, 2);
        MobileNetV2 net = TransferLearning.model(MODEL, Backends.get("cpu"), 2, Mode.FINETUNE, 0);
        Map<String, float[]> before = values(net);
        TransferLearning.run(net, MobileNetV2.PREPROCESSING, data, Mode.FINETUNE, oneEpoch());
        assertEquals(before.keySet(), net.params().keySet());
        Map<String, float[]> after = values(net);
        long changed = before.keySet().stream().filter(k -> !Arrays.equals(before.get(k), after.get(k))).count();
        // One step of momentum SGD moves every weight that has a gradient; the first conv's too.
        assertEquals(before.size(), changed, "parameters changed by one fine-tuning epoch");
    }

    @Test
    void aClassMismatchIsNamed(@TempDir Path tmp) throws IOException {
        Path data = fewImages(tmp, 1);
        MobileNetV2 net = TransferLearning.model(MODEL, Backends.get("cpu"), 3, Mode.FREEZE, 0);
        String msg = assertThrows(IllegalArgumentException.class, () -> TransferLearning.run(net,
                MobileNetV2.PREPROCESSING, data, Mode.FREEZE, oneEpoch())).getMessage();
        assertTrue(msg.contains("[ants, bees]") && msg.contains("3"), msg);
    }
}
