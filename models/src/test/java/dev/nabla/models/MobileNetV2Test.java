package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pretrained MobileNetV2, imported from its ONNX file, reproduces the reference logits on every backend and
 * holds exactly the weights of the pretrained folder; other imported classifiers take a new head; broken files fail
 * clearly.
 */
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
        MobileNetV2 net = MobileNetV2.load(TestData.file(MobileNetV2.DEFAULT_FILE), be, DType.FLOAT32);
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

    // ---- the ONNX file holds what model.json did ----------------------------------------------------------

    /**
     * Every weight of the ONNX import equals, bit for bit, the {@code .npy} file the retired {@code model.json}
     * named for it (read here from its op list, in this test only), the linear layer's transposed as the old loader
     * did; so the network, and the transfer-learning figures trained from it, are the same (ModuleRegressionTest
     * checks its logits against the ones the model.json loader gave).
     */
    @Test
    void holdsExactlyTheWeightsOfThePretrainedFolder() throws IOException {
        MobileNetV2 net = MobileNetV2.load(TestData.file(MobileNetV2.DEFAULT_FILE), Backends.get("cpu"), DType.FLOAT32);
        Map<String, Tensor> params = net.allParams();
        List<String> expected = new ArrayList<>();
        for (JsonNode op : new ObjectMapper().readTree(modelDir().resolve("model.json").toFile()).path("ops")) {
            for (String part : new String[] {"weight", "bias"}) {
                if (!op.has(part)) {
                    continue;
                }
                String name = op.path("name").asText() + "." + part;
                expected.add(name);
                NpyArray a = Npy.read(modelDir().resolve(op.path(part).asText()));
                float[] want = a.asFloats();
                if (op.path("op").asText().equals("linear") && part.equals("weight")) {
                    want = transposed(want, a.shape().dim(0), a.shape().dim(1));
                }
                assertArrayEquals(want, params.get(name).toFloatArray(), 0f, name);
            }
        }
        assertEquals(expected, List.copyOf(params.keySet()), "the same parameters under the same names, in order");
        assertEquals(1000, net.classes());
        assertEquals("fc0", net.opNames().get(net.opNames().size() - 1));
    }

    private static float[] transposed(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }

    // ---- other classifiers and broken files ----------------------------------------------------------------

    @Test
    void anyImportedClassifierEndingInAGemmTakesANewHead() throws IOException {
        MobileNetV2 resnet = MobileNetV2.load(TestData.file("onnx/resnet18_w16.onnx"), Backends.get("cpu"),
                DType.FLOAT32).withClassifier(2, 0);
        assertEquals(2, resnet.classes());
        assertTrue(resnet.isClassifierParam("fc.weight"));
        // The digit CNN ends in a Softmax, which is left out: its classifier is the last Gemm, fc2.
        MobileNetV2 digits = MobileNetV2.load(TestData.file("onnx/digit_bn_cnn.onnx"), Backends.get("cpu"),
                DType.FLOAT32);
        assertEquals("fc2", digits.graph().outputNode().name());
    }

    @Test
    void aMissingOrBrokenFileIsNamed(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nowhere.onnx");
        String msg = assertThrows(IOException.class, () -> MobileNetV2.load(missing, Backends.get(),
                DType.FLOAT32)).getMessage();
        assertTrue(msg.contains("nowhere.onnx"), msg);
        Path broken = Files.write(dir.resolve("broken.onnx"), "not a model".getBytes());
        msg = assertThrows(IOException.class, () -> MobileNetV2.load(broken, Backends.get(), DType.FLOAT32))
                .getMessage();
        assertTrue(msg.contains("broken.onnx") && msg.contains("not an ONNX model"), msg);
    }
}
