package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.data.Mnist;
import dev.nabla.io.TestData;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both digit networks learn real MNIST on every backend on the class path: a short run on a
 * subset must reach a stated validation accuracy, with the loss falling.
 */
class DigitsTrainingTest {
    private static Dataset train;
    private static Dataset val;

    @BeforeAll
    static void load() throws IOException {
        Mnist mnist = Mnist.load(TestData.dir(), 6000);
        train = new Dataset(mnist.train().images(), new int[] {1, 28, 28}, mnist.train().labels());
        val = new Dataset(mnist.val().images(), new int[] {1, 28, 28}, mnist.val().labels()).head(2000);
    }

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    private static double trainAndValidate(DigitModels.Choice choice, Backend be, int epochs) {
        Model model = DigitModels.build(choice, be, DType.FLOAT32, 1);
        Solver solver = new Solver(model, train, val, DigitModels.training(choice.kind(), epochs, 1));
        List<Solver.Epoch> history = solver.train();
        List<Double> losses = solver.lossHistory();
        double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(losses.size() - 10, losses.size()).stream().mapToDouble(Double::doubleValue)
                .average().orElseThrow();
        assertTrue(last < first / 3, choice + " on " + be.name() + ": loss fell only from " + first + " to " + last
                + "; " + history);
        System.out.printf("%s on %s: validation accuracy %.4f after %d epochs%n", choice, be.name(),
                solver.bestValAcc(), epochs);
        return solver.bestValAcc();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void mlpReaches90PercentOn6000Images(String backend) {
        double acc = trainAndValidate(new DigitModels.Choice(DigitModels.Kind.MLP, 200, 0), Backends.get(backend), 5);
        assertTrue(acc >= 0.90, "MLP validation accuracy " + acc + " on " + backend);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void cnnReaches94PercentOn6000Images(String backend) {
        double acc = trainAndValidate(new DigitModels.Choice(DigitModels.Kind.CNN, 100, 5), Backends.get(backend), 3);
        assertTrue(acc >= 0.94, "CNN validation accuracy " + acc + " on " + backend);
    }
}
