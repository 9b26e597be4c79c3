package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pretrained MobileNetV2 reproduces the reference logits on every backend; broken folders fail clearly. */
class MobileNetV2Test {
    private static final String[] IMAGES = {"ant_0013035", "bee_16838648"};

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    static Path modelDir() {
        return TestData.dir().resolve("pretrained/mobilenet_v2_1.0_224");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void matchesTheReferenceLogitsAndTop5(String backendName) throws IOException {
        Backend be = Backends.get(backendName);
        MobileNetV2 net = MobileNetV2.load(modelDir(), be, DType.FLOAT32);
        for (String image : IMAGES) {
            Path ref = modelDir().resolve("reference");
            NpyArray in = Npy.read(ref.resolve(image + ".input.npy"));
            float[] expected = Npy.read(ref.resolve(image + ".logits.npy")).asFloats();
            Tensor x = be.fromArray(in.asFloats(), DType.FLOAT32, in.shape());
            net.scores(x); // warm-up: class loading and the first native calls
            long t0 = System.nanoTime();
            Tensor logits = net.scores(x);
            double ms = (System.nanoTime() - t0) / 1e6;
            assertEquals(Shape.of(1, 1000), logits.shape());
            double[] got = logits.toDoubleArray();
            double maxAbs = 0;
            for (int i = 0; i < got.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(got[i] - expected[i]));
            }
            System.out.printf(Locale.ROOT, "MobileNetV2 %s %s: max |logit - reference| = %.3e, forward %.0f ms%n",
                    backendName, image, maxAbs, ms);
            assertTrue(maxAbs < 1e-3, image + " on " + backendName + ": max abs logit difference " + maxAbs);
            int[] top5 = IntStream.range(0, got.length).boxed()
                    .sorted((a, b) -> Double.compare(got[b], got[a])).limit(5).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(referenceTop5(ref.resolve(image + ".top5.txt")), top5, image + " on " + backendName);
        }
    }

    private static int[] referenceTop5(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.stream().skip(1).filter(l -> !l.isBlank()).limit(5)
                .mapToInt(l -> Integer.parseInt(l.trim().split("\\s+")[0])).toArray();
    }

    // ---- broken folders ------------------------------------------------------------------------

    private static final String CONV = """
            {"op": "conv2d", "name": "c0", "input": "input", "output": "c0",
             "weight": "w.npy", "bias": "b.npy", "in_channels": 2, "out_channels": 2, "kernel": [1, 1],
             "stride": [1, 1], "dilation": [1, 1], "groups": %d, "pad": [0, 0, 0, 0], "activation": "relu6"}""";

    private static Path folder(Path dir, String ops) throws IOException {
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"npy-cnn-v1\", \"input\": {\"name\": \"input\"},"
                + " \"ops\": [" + ops + "]}");
        return dir;
    }

    @Test
    void runsATinyConvNet(@TempDir Path dir) throws IOException {
        Npy.write(dir.resolve("w.npy"), Shape.of(2, 1, 1, 1), new float[] {2, -1});
        Npy.write(dir.resolve("b.npy"), Shape.of(2), new float[] {0, 1});
        Backend be = Backends.get();
        MobileNetV2 net = MobileNetV2.load(folder(dir, CONV.formatted(2)), be, DType.FLOAT64);
        // Depthwise: channel 0 times 2, channel 1 times -1 plus 1, then ReLU6: [2*4 -> 6, -3+1 -> 0].
        Tensor y = net.scores(be.fromArray(new double[] {4, 3}, DType.FLOAT64, Shape.of(1, 2, 1, 1)));
        assertArrayEquals(new double[] {6, 0}, y.toDoubleArray(), 0);
    }

    @Test
    void namesAMissingWeightFile(@TempDir Path dir) throws IOException {
        Npy.write(dir.resolve("b.npy"), Shape.of(2), new float[] {0, 1});
        String msg = assertThrows(IOException.class,
                () -> MobileNetV2.load(folder(dir, CONV.formatted(2)), Backends.get(), DType.FLOAT32)).getMessage();
        assertTrue(msg.contains("w.npy") && msg.contains("c0") && msg.contains("not found"), msg);
        String missing = assertThrows(IOException.class,
                () -> MobileNetV2.load(dir.resolve("nowhere"), Backends.get(), DType.FLOAT32)).getMessage();
        assertTrue(missing.contains("model.json"), missing);
    }

    @Test
    void namesAWrongShapeWithBothShapes(@TempDir Path dir) throws IOException {
        // groups 1 needs (2, 2, 1, 1); the file holds the depthwise (2, 1, 1, 1).
        Npy.write(dir.resolve("w.npy"), Shape.of(2, 1, 1, 1), new float[] {2, -1});
        Npy.write(dir.resolve("b.npy"), Shape.of(2), new float[] {0, 1});
        String msg = assertThrows(IllegalArgumentException.class,
                () -> MobileNetV2.load(folder(dir, CONV.formatted(1)), Backends.get(), DType.FLOAT32)).getMessage();
        assertTrue(msg.contains("w.npy") && msg.contains("(2, 1, 1, 1)") && msg.contains("(2, 2, 1, 1)"), msg);
    }

    @Test
    void namesAWrongDtype(@TempDir Path dir) throws IOException {
        Npy.write(dir.resolve("w.npy"), Shape.of(2, 1, 1, 1), new double[] {2, -1});
        Npy.write(dir.resolve("b.npy"), Shape.of(2), new float[] {0, 1});
        String msg = assertThrows(IllegalArgumentException.class,
                () -> MobileNetV2.load(folder(dir, CONV.formatted(2)), Backends.get(), DType.FLOAT32)).getMessage();
        assertTrue(msg.contains("w.npy") && msg.contains("<f8") && msg.contains("<f4"), msg);
    }

    @Test
    void namesAnUnknownOp(@TempDir Path dir) throws IOException {
        String msg = assertThrows(IllegalArgumentException.class, () -> MobileNetV2.load(
                folder(dir, "{\"op\": \"hardswish\", \"name\": \"hs0\", \"input\": \"input\"}"), Backends.get(),
                DType.FLOAT32)).getMessage();
        assertTrue(msg.contains("hardswish") && msg.contains("hs0"), msg);
    }
}
