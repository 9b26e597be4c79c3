package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.data.Mnist;
import dev.nabla.io.TestData;
import dev.nabla.models.DigitModels;
import dev.nabla.models.DigitTraining;
import dev.nabla.train.Dataset;
import java.io.IOException;
import java.util.List;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The digits sweep on Spark against the local sweep, on a small grid and a part of MNIST: the same networks, to the
 * bit, although each task has one thread and the local run all cores (the cpu backend cuts the work as the whole
 * machine would, whatever its threads), also when a task fails once.
 */
class SparkDigitsTest {
    private static final int TRAIN = 1000;
    private static final List<DigitModels.Choice> GRID = List.of(new DigitModels.Choice(DigitModels.Kind.MLP, 50, 0),
            new DigitModels.Choice(DigitModels.Kind.CNN, 100, 3), new DigitModels.Choice(DigitModels.Kind.MLP, 100, 0));
    private static final SparkDigits.Job JOB = new SparkDigits.Job(TestData.dir().toString(), TRAIN, "cpu", 1, 0,
            DigitTraining.Overrides.NONE);
    private static List<DigitTraining.Result> local;

    @BeforeAll
    static void trainLocally() throws IOException {
        Mnist mnist = Mnist.load(TestData.dir());
        Dataset train = DigitTraining.dataset(mnist.train()).head(TRAIN);
        Dataset val = DigitTraining.dataset(mnist.val());
        Backend allCores = Backends.get("cpu");
        local = GRID.stream().map(c -> DigitTraining.train(c, allCores, train, val, JOB.epochs(), JOB.seed(),
                JOB.overrides())).toList();
    }

    @Test
    void theSparkSweepTrainsTheSameNetworksAndChoosesTheSame() {
        List<DigitTraining.Result> spark = SparkDigits.sweep(LocalSpark.context(), JOB, GRID, Backends.get("cpu"));
        assertSame(local, spark);
        Backend be = Backends.get("cpu");
        assertEquals(DigitModels.choose(GRID, valAcc(local), 10_000, be), DigitModels.choose(GRID, valAcc(spark), 10_000,
                be));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheSweepIsUnchanged() {
        DistributedSweep.Task<DigitModels.Choice, SparkDigits.Trained> train = SparkDigits.task(JOB);
        List<SparkDigits.Trained> trained = DistributedSweep.run(LocalSpark.context(), "sweep with a fault", GRID,
                (choice, index, progress) -> {
                    if (index == 1 && TaskContext.get().attemptNumber() == 0) {
                        throw new IllegalStateException("injected fault: configuration " + index + " dies once");
                    }
                    return train.run(choice, index, progress);
                });
        for (int i = 0; i < GRID.size(); i++) {
            assertEquals(local.get(i).valAcc(), trained.get(i).valAcc(), GRID.get(i).toString());
            assertEquals(0, DataParallelTest.difference(PlainState.of(local.get(i).model().state()),
                    trained.get(i).state()), GRID.get(i).toString());
        }
    }

    private static void assertSame(List<DigitTraining.Result> expected, List<DigitTraining.Result> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            DigitTraining.Result e = expected.get(i);
            DigitTraining.Result a = actual.get(i);
            assertEquals(e.valAcc(), a.valAcc(), e.choice().toString());
            assertEquals(e.trainAcc(), a.trainAcc(), e.choice().toString());
            assertEquals(e.lossHistory(), a.lossHistory(), e.choice().toString());
            assertEquals(0, DataParallelTest.difference(PlainState.of(e.model().state()), PlainState.of(a.model().state())),
                    e.choice().toString());
        }
    }

    private static double[] valAcc(List<DigitTraining.Result> runs) {
        return runs.stream().mapToDouble(DigitTraining.Result::valAcc).toArray();
    }
}
