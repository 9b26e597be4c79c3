package dev.nabla.models;

import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.data.Mnist;
import dev.nabla.io.TestData;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import dev.nabla.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One small digits run of {@link ResumeTest}, with checkpoints: in the test's JVM, or as a child process's main
 * ({@code backend kind checkpointDir pauseAfterEpoch}) that pauses after an epoch so the test can kill it there.
 */
final class ResumeRun {
    static final int EPOCHS = 3;

    final Model model;
    final Solver solver;

    ResumeRun(String backend, DigitModels.Kind kind, Path checkpoints) throws IOException {
        Mnist mnist = Mnist.load(TestData.dir(), 300);
        Dataset train = new Dataset(mnist.train().images(), new int[] {1, 28, 28}, mnist.train().labels());
        Dataset val = new Dataset(mnist.val().images(), new int[] {1, 28, 28}, mnist.val().labels()).head(100);
        model = DigitModels.build(new DigitModels.Choice(kind, 32, kind == DigitModels.Kind.CNN ? 5 : 3),
                Backends.get(backend), DType.FLOAT32, 7);
        Solver.Config config = DigitModels.training(kind, EPOCHS, 7).numTrainSamples(50).checkpointDir(checkpoints)
                .note("model", kind.id());
        solver = new Solver(model, train, val, config);
    }

    /** Child process: train, pausing a long time after epoch {@code args[3]} (the parent kills it there). */
    public static void main(String[] args) throws Exception {
        ResumeRun run = new ResumeRun(args[0], DigitModels.Kind.valueOf(args[1]), Path.of(args[2]));
        int pauseAfter = Integer.parseInt(args[3]);
        run.solver.listen(new TrainingLoop.Listener() {
            @Override
            public void epochDone(TrainingLoop.EpochResult r) {
                if (r.epoch() == pauseAfter) {
                    System.out.println("PAUSED " + r.epoch());
                    System.out.flush();
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        run.solver.train();
    }
}
