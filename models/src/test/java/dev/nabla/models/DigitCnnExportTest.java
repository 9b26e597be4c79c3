package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.data.Mnist;
import dev.nabla.io.TestData;
import dev.nabla.module.Graph;
import dev.nabla.onnx.OnnxExporter;
import dev.nabla.onnx.OnnxImporter;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The course's digit CNN, trained a little in Nabla and exported to ONNX, reads back computing the same scores,
 * bit for bit, and ONNX Runtime gets them too (within 1e-4): a network trained in Nabla runs elsewhere. On every
 * backend.
 */
class DigitCnnExportTest {
    static Stream<String> backends() {
        return Backends.available().stream();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void exportedAndImportedBackItScoresTheSame(String backend, @TempDir Path dir) throws IOException, OrtException {
        Backend be = Backends.get(backend);
        Mnist mnist = Mnist.load(TestData.dir(), 500);
        Dataset train = new Dataset(mnist.train().images(), new int[] {1, 28, 28}, mnist.train().labels());
        DigitModels.Choice choice = DigitModels.best(DigitModels.Kind.CNN);
        Model model = DigitModels.build(choice, be, DType.FLOAT32, 0);
        new Solver(model, train, train.head(100), DigitModels.training(choice.kind(), 1, 0)).train();
        Graph net = (Graph) ((ConvNet) model).network();

        Path file = dir.resolve("digits.onnx");
        OnnxExporter.write(net, file, Shape.of(1, 1, 28, 28));
        Graph back = OnnxImporter.load(file, be, DType.FLOAT32);
        assertEquals(net.parameters().keySet(), back.parameters().keySet());

        float[] images = Arrays.copyOf(mnist.val().images(), 8 * 784);
        Tensor x = be.fromArray(images, DType.FLOAT32, Shape.of(8, 1, 28, 28));
        float[] scores = net.apply(x).toFloatArray();
        assertArrayEquals(scores, back.apply(x).toFloatArray(), 0f, "re-imported on " + backend);

        float[] ort = onnxRuntime(file, images, 8);
        double diff = 0;
        for (int i = 0; i < scores.length; i++) {
            diff = Math.max(diff, Math.abs(scores[i] - ort[i]));
        }
        System.out.printf(Locale.ROOT, "digit CNN exported from %s: max |nabla - onnxruntime| = %.3e%n", backend, diff);
        assertTrue(diff < 1e-4, "ONNX Runtime differs by " + diff);
    }

    private static float[] onnxRuntime(Path file, float[] images, int n) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(env, FloatBuffer.wrap(images),
                     new long[] {n, 1, 28, 28});
             OrtSession.Result r = session.run(Map.of("input", in))) {
            FloatBuffer out = ((ai.onnxruntime.OnnxTensor) r.get(0)).getFloatBuffer();
            float[] v = new float[out.remaining()];
            out.get(v);
            return v;
        }
    }
}
