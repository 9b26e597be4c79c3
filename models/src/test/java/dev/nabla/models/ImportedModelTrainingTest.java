package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.data.Mnist;
import dev.nabla.io.TestData;
import dev.nabla.module.Classifier;
import dev.nabla.module.Graph;
import dev.nabla.onnx.OnnxImporter;
import dev.nabla.train.Dataset;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An imported network trains like a Nabla one: the shared MNIST CNN (random weights, batch norm, dropout, a
 * softmax output), imported on its logits, goes from chance to well above it in 300 {@link Solver} steps on real
 * digits, on every backend.
 */
class ImportedModelTrainingTest {
    private static Dataset train;
    private static Dataset val;

    @BeforeAll
    static void load() throws IOException {
        Mnist mnist = Mnist.load(TestData.dir(), 3000);
        train = new Dataset(mnist.train().images(), new int[] {1, 28, 28}, mnist.train().labels());
        val = new Dataset(mnist.val().images(), new int[] {1, 28, 28}, mnist.val().labels()).head(1000);
    }

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theImportedDigitCnnLearnsMnist(String backend) throws IOException {
        Backend be = Backends.get(backend);
        Graph g = OnnxImporter.load(TestData.file("onnx/digit_bn_cnn.onnx"),
                OnnxImporter.Options.of(be, DType.FLOAT32).logits(true));
        Classifier model = new Classifier(g, 1e-4);
        Solver.Config config = new Solver.Config().updateRule("adam").learningRate(1e-3).batchSize(50).epochs(5)
                .numValSamples(1000).seed(0);
        Solver solver = new Solver(model, train, val, config);
        double before = solver.accuracy(val, 1000);
        solver.train();
        double after = solver.bestValAcc();
        System.out.printf(Locale.ROOT, "imported digit CNN on %s: validation accuracy %.3f before, %.3f after %d"
                + " steps%n", backend, before, after, solver.lossHistory().size());
        assertTrue(solver.lossHistory().size() == 300, "steps: " + solver.lossHistory().size());
        assertTrue(before < 0.3, "the random weights already score " + before);
        assertTrue(after > 0.85, "validation accuracy " + after + " on " + backend);
    }
}
