package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.data.Mnist;
import dev.nabla.data.MnistDownloader;
import dev.nabla.models.DigitModels;
import dev.nabla.models.DigitTraining;
import dev.nabla.models.ModelStore;
import dev.nabla.module.Classifier;
import dev.nabla.train.Dataset;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nabla digits}: trains the course's MLP or CNN on MNIST, optionally sweeping sizes on the validation set. */
@Command(name = "digits", mixinStandardHelpOptions = true,
        description = {"Train a digit classifier on MNIST (50,000 train / 10,000 validation /",
            "10,000 test). Without --sweep it trains the best configuration found so far;",
            "with --sweep it trains the grid, keeps the cheapest network within one",
            "standard error of the best validation accuracy and reports its test",
            "accuracy once."})
final class DigitsCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DigitsCommand.class);

    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    DataDirOption data = new DataDirOption();

    @Option(names = "--model", defaultValue = "cnn", description = "mlp, cnn or bn-cnn (batch norm and dropout;"
            + " default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", description = "Epochs per training run (default: 10 for mlp, 8 for cnn).")
    Integer epochs;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Initial Adam learning rate (default: 1e-3).")
    Double learningRate;

    @Option(names = "--lr-decay", paramLabel = "F", description = "Learning-rate factor after each epoch (default: 0.8).")
    Double lrDecay;

    @Option(names = "--ema", paramLabel = "DECAY", description = "Decay of the moving average of the weights that"
            + " is evaluated and kept; 0 keeps the weights themselves (default: 0.999 for cnn, 0 for mlp). It warms"
            + " up as (1 + t) / (10 + t) at step t, so 0.999 rules only after 8,990 steps.")
    Double ema;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization and minibatch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "out/digits", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--sweep", description = "Train the whole grid and keep the cheapest network within one"
            + " standard error of the best validation accuracy.")
    boolean sweep;

    @Option(names = "--train-limit", hidden = true, description = "Use only the first N training images (quick trials).")
    Integer trainLimit;

    @Mixin
    ExportOption export = new ExportOption();

    @Option(names = "--no-download", description = "Fail instead of downloading MNIST when it is missing.")
    boolean noDownload;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    DigitsOnSpark spark = new DigitsOnSpark();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        DigitModels.Kind kind = validate();
        spark.check(sweep);
        try (RunFolder folder = run.open(out, spec, LOG)) {
            return call(kind, folder);
        }
    }

    /** The run, writing everything into the run's own folder, which is swapped in as {@code --out} at the end. */
    private int call(DigitModels.Kind kind, RunFolder folder) throws IOException {
        Path dir = folder.dir();
        String runId = folder.runId();
        Backend be = backend.resolve();
        int epochCount = epochs != null ? epochs : DigitModels.defaultEpochs(kind);
        Path dataDir = data.resolve();
        Mnist mnist;
        try {
            mnist = Mnist.load(dataDir);
        } catch (NoSuchFileException missing) {
            if (noDownload) {
                throw missing;
            }
            LOG.info("MNIST is not in {} ({}); downloading it (about 11 MB).", dataDir, missing.getMessage());
            new MnistDownloader().download(dataDir);
            mnist = Mnist.load(dataDir);
        }
        Dataset train = DigitTraining.dataset(mnist.train());
        if (trainLimit != null) {
            train = train.head(trainLimit);
        }
        Dataset val = DigitTraining.dataset(mnist.val());
        Dataset test = DigitTraining.dataset(mnist.test());
        PrintWriter stdout = spec.commandLine().getOut();

        List<DigitModels.Choice> choices = sweep ? DigitModels.grid(kind) : List.of(DigitModels.best(kind));
        List<Map<String, Object>> rows = new ArrayList<>();
        long start = System.nanoTime();
        List<DigitTraining.Result> runs = spark.enabled()
                ? spark.train(choices, be, dataDir, trainLimit, epochCount, seed, overrides())
                : trainHere(choices, be, train, val, epochCount, dir);
        if (spark.enabled()) {
            runs.forEach(this::print);
        }
        runs.forEach(r -> rows.add(r.row()));
        double[] valAcc = runs.stream().mapToDouble(DigitTraining.Result::valAcc).toArray();
        DigitTraining.Result best = runs.get(DigitModels.choose(choices, valAcc, val.count(), be));
        double topValAcc = Arrays.stream(valAcc).max().orElseThrow();
        double standardError = DigitModels.standardError(topValAcc, val.count());
        int[] order = new int[test.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double testAcc = Solver.accuracy(best.model(), test, order, order.length, 500, be, DType.FLOAT32);
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> modelConfig = new LinkedHashMap<>(best.choice().describe());
        modelConfig.put("run_id", runId);
        ModelStore.save(dir.resolve("model"), best.model(), modelConfig);
        if (export.given()) {
            ExportOption.write(((Classifier) best.model()).network(), export.file, Shape.of(1, 1, 28, 28), stdout);
        }

        Map<String, Object> chosen = new LinkedHashMap<>(best.row());
        chosen.put("test_acc", testAcc);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", "digits");
        results.put("run_id", runId);
        results.put("backend", be.name());
        results.put("model", kind.id());
        results.put("sweep", sweep);
        results.putAll(spark.describe());
        results.put("train_images", train.count());
        results.put("val_images", val.count());
        results.put("test_images", test.count());
        results.put("configurations", rows);
        if (sweep) {
            results.put("selection", SELECTION);
            results.put("val_standard_error", standardError);
        }
        results.put("chosen", chosen);
        results.put("total_seconds", totalSeconds);
        Outputs.json(dir.resolve("results.json"), results);
        writePlots(best, dir, runId);
        Outputs.text(dir.resolve("report.md"), report(be, rows, best, testAcc, totalSeconds, topValAcc, standardError,
                val.count(), test.count(), runId));
        run.finish(dir);
        folder.commit();
        stdout.printf(Locale.ROOT, "chosen: %s  val_acc %.4f  test_acc %.4f  (backend %s, %.0f s in all)%n",
                best.choice(), best.valAcc(), testAcc, be.name(), totalSeconds);
        stdout.printf("wrote %s (results.json, report.md, loss.png, accuracy.png, model/)%n", out);
        stdout.flush();
        return 0;
    }

    /** Every option checked before MNIST is read, so that a bad value fails at once and by its name. */
    private DigitModels.Kind validate() {
        OptionCheck check = new OptionCheck(spec);
        String kind = check.oneOf("--model", model, List.of("mlp", "cnn", "bn-cnn"));
        check.atLeast("--epochs", epochs, 1);
        check.positive("--learning-rate", learningRate);
        check.decay("--lr-decay", lrDecay);
        check.fraction("--ema", ema);
        check.atLeast("--train-limit", trainLimit, 1);
        check.outputFolder("--out", out);
        run.validate(check, spec);
        return DigitModels.Kind.parse(kind);
    }

    private static final String SELECTION = "the cheapest network (fewest multiply-adds per image) within one"
            + " standard error of the best validation accuracy";

    /**
     * Trains every configuration in this process, each with its checkpoints in {@code dir/checkpoints/<config>/}
     * (resumed from {@code --resume}'s when there) and a progress bar.
     */
    private List<DigitTraining.Result> trainHere(List<DigitModels.Choice> choices, Backend be, Dataset train,
                                                 Dataset val, int epochs, Path dir) throws IOException {
        List<DigitTraining.Result> runs = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            DigitModels.Choice choice = choices.get(i);
            LOG.info("[{}/{}] training {} on backend {} for {} epochs", i + 1, choices.size(), choice, be.name(),
                    epochs);
            LOG.info("{}:\n{}", choice, choice.summary(be));
            Solver.Config config = DigitTraining.config(choice, epochs, seed, overrides())
                    .checkpointDir(dir.resolve(RunOptions.CHECKPOINTS).resolve(id(choice))).keepCheckpoints(run.keep())
                    .earlyStopping(run.patience(), run.minDelta()).note("model", choice.toString())
                    .note("train_images", train.count());
            DigitTraining.Result r = DigitTraining.train(choice, be, train, val, config, seed, solver -> {
                solver.listen(new Progress(choice.toString(), LOG));
                resume(solver, choice);
            });
            print(r);
            runs.add(r);
        }
        return runs;
    }

    /** Continues {@code choice} from {@code --resume}'s checkpoints when there are some (a sweep starts the others). */
    private void resume(Solver solver, DigitModels.Choice choice) throws IOException {
        if (run.resume == null) {
            return;
        }
        Path from = RunOptions.checkpoints(run.resume).resolve(id(choice));
        if (Files.isDirectory(from)) {
            LOG.info("{}: resuming after epoch {} of {}", choice, solver.resume(from, run.resumeWithChanges), from);
        } else if (!sweep) {
            throw new java.nio.file.NoSuchFileException(from.toString(), null, "--resume: no checkpoints of " + choice
                    + " here");
        }
    }

    /** A configuration's folder name for its checkpoints: {@code cnn-k5-h200}. */
    private static String id(DigitModels.Choice c) {
        return c.kind().id() + (c.filterSize() > 0 ? "-k" + c.filterSize() : "") + "-h" + c.hidden();
    }

    private void print(DigitTraining.Result run) {
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%-28s val_acc %.4f  train_acc %.4f  %.0f s%n", run.choice(), run.valAcc(),
                run.trainAcc(), run.seconds());
        stdout.flush();
    }

    private DigitTraining.Overrides overrides() {
        return new DigitTraining.Overrides(learningRate, lrDecay, ema);
    }

    private void writePlots(DigitTraining.Result best, Path dir, String runId) throws IOException {
        Charts.line(dir.resolve("loss.png"), "Training loss, " + best.choice(), "iteration", "loss",
                List.of(new Charts.Curve("loss", best.lossHistory())), runId);
        List<Double> trainAcc = best.epochs().stream().map(Solver.Epoch::trainAcc).toList();
        List<Double> valAcc = best.epochs().stream().map(Solver.Epoch::valAcc).toList();
        Charts.line(dir.resolve("accuracy.png"), "Accuracy per epoch, " + best.choice(), "epoch", "accuracy",
                List.of(new Charts.Curve("train (sample of 2,000)", trainAcc), new Charts.Curve("validation", valAcc)),
                runId);
    }

    private String report(Backend be, List<Map<String, Object>> rows, DigitTraining.Result best, double testAcc,
                          double seconds, double topValAcc, double standardError, int valCount, int testCount,
                          String runId) {
        StringBuilder md = new StringBuilder();
        md.append("# MNIST digits: ").append(model).append(sweep ? " sweep" : "").append("\n\n");
        md.append(String.format(Locale.ROOT, "Backend `%s`, %d epochs per run, seed %d, %.0f s in all.%n%n",
                be.name(), best.epochs().size(), seed, seconds));
        md.append("| configuration | parameters | multiply-adds | train acc (2,000 sampled) | val acc | best epoch"
                + " | seconds |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            String params = ((Map<?, ?>) r.get("params")).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.4f | %.4f | %d | %.0f |%n", params,
                    (long) r.get("parameters"), (long) r.get("multiply_adds"), (double) r.get("train_acc"),
                    (double) r.get("val_acc"), (int) r.get("best_epoch"),
                    (double) r.get("seconds")));
        }
        if (rows.size() > 1) {
            md.append(String.format(Locale.ROOT, "%nChosen: %s. Best validation accuracy %.4f, standard error %.4f on"
                    + " %,d images, so every network at %.4f or above is as good as the validation set can tell.%n",
                    SELECTION, topValAcc, standardError, valCount, topValAcc - standardError));
        }
        md.append(String.format(Locale.ROOT, "%n**%s**: validation %.4f, **test accuracy %.4f** on the %,d test"
                + " images (scored once, after the choice).%n%n", best.choice(), best.valAcc(), testAcc,
                testCount));
        md.append("![loss](loss.png)\n\n![accuracy](accuracy.png)\n\n");
        md.append("Run ").append(runId).append(".\n");
        return md.toString();
    }
}
