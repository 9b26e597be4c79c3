package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.data.ImagePreprocessing;
import dev.nabla.models.MobileNetV2;
import dev.nabla.models.TransferLearning;
import dev.nabla.models.TransferLearning.Mode;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nabla transfer}: an imported image classifier (by default the pretrained MobileNetV2) fine-tuned and frozen
 * on the ants-vs-bees set, its last Gemm replaced by a new 2-class layer.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Transfer learning on hymenoptera_data (ants vs bees) from an ONNX image",
            "classifier (default: the ImageNet-pretrained MobileNetV2) whose last Gemm",
            "becomes a new 2-class layer: finetune trains every layer, freeze trains only",
            "the new one; the best val weights are kept."})
final class TransferCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TransferCommand.class);

    /** Images in the prediction grid. */
    static final int GRID_IMAGES = 24;

    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    DataDirOption data = new DataDirOption();

    @Mixin
    ImageModelOptions network = new ImageModelOptions();

    @Mixin
    ExportOption export = new ExportOption();

    @Option(names = "--mode", defaultValue = "both", description = "finetune, freeze or both (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--epochs", defaultValue = "25", description = "Epochs per scenario (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "4", description = "Images per step (default: ${DEFAULT-VALUE}, as the tutorial).")
    int batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.001",
            description = "SGD learning rate, momentum 0.9, x0.1 every 7 epochs (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--features-lr-scale", paramLabel = "F", defaultValue = "0.1",
            description = "When fine-tuning, the pretrained layers learn at F x the learning rate (default: ${DEFAULT-VALUE};"
                    + " 1 is the tutorial's single rate, too high for this network's folded batch norm).")
    double featuresLrScale;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the new layer, the order and the crops (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", defaultValue = "1", description = "Image decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", defaultValue = "out/transfer", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Mode> modes = validate();
        try (RunFolder folder = run.open(out, spec, LOG)) {
            return call(modes, folder);
        }
    }

    /** The run, writing everything into the run's own folder, which is swapped in as {@code --out} at the end. */
    private int call(List<Mode> modes, RunFolder folder) throws IOException {
        Path outDir = folder.dir();
        String runId = folder.runId();
        Backend be = backend.resolve();
        Path dataDir = data.resolve();
        Path images = dataDir.resolve("hymenoptera_data");
        for (Path p : List.of(images.resolve("train"), images.resolve("val"))) {
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(p + " (the data folder is " + dataDir
                        + "; set --data-dir or NABLA_DATA)");
            }
        }
        TransferLearning.Options options = new TransferLearning.Options(epochs, batchSize, learningRate, featuresLrScale, 7,
                0.1, seed, workers);
        Path modelFile = network.file(dataDir);
        ImagePreprocessing prep = network.preprocessing();
        int classes = dev.nabla.data.ImageFolder.scan(images.resolve("train")).classes().size();
        PrintWriter stdout = spec.commandLine().getOut();

        Map<String, Object> scenarios = new LinkedHashMap<>();
        List<TransferLearning.Result> results = new ArrayList<>();
        for (Mode m : modes) {
            MobileNetV2 net = TransferLearning.model(modelFile, be, classes, m, seed);
            Path from = run.resume == null ? null : RunOptions.checkpoints(run.resume).resolve(m.id());
            TransferLearning.Result r = TransferLearning.run(net, prep, images, m, options, new TransferLearning.Control(
                    outDir.resolve(RunOptions.CHECKPOINTS).resolve(m.id()), run.keep(),
                    from != null && Files.isDirectory(from) ? from : null, run.resumeWithChanges, run.patience(),
                    run.minDelta(), new Progress(m.id(), LOG)));
            if (export.given()) {
                ExportOption.write(net.graph(), export.fileFor(m.id(), modes.size() > 1),
                        Shape.of(1, 3, prep.cropHeight(), prep.cropWidth()), stdout);
            }
            results.add(r);
            Path dir = outDir.resolve(m.id());
            Files.createDirectories(dir);
            writePlots(dir, r, runId);
            PredictionGrid.write(dir.resolve("predictions.png"), gridItems(r), r.classes(), prep, 6, runId);
            scenarios.put(m.id(), row(r));
            writeResults(outDir, runId, be, modelName(modelFile), images, options, scenarios, results);
            stdout.printf(Locale.ROOT, "%-8s best val acc %.4f (epoch %d), %.0f s on %s%n", m.id(), r.bestValAcc(),
                    r.bestEpoch(), r.seconds(), be.name());
            stdout.flush();
        }
        run.finish(outDir);
        folder.commit();
        stdout.printf("wrote %s (results.json, report.md; per scenario loss.png, accuracy.png, predictions.png)%n", out);
        stdout.flush();
        return 0;
    }

    /** Every option checked before any image or weight is read, so that a bad value fails at once and by its name. */
    private List<Mode> validate() {
        OptionCheck check = new OptionCheck(spec);
        String m = check.oneOf("--mode", mode, List.of("finetune", "freeze", "both"));
        check.atLeast("--epochs", epochs, 1);
        check.atLeast("--batch-size", batchSize, 1);
        check.positive("--learning-rate", learningRate);
        check.notNegative("--features-lr-scale", featuresLrScale);
        check.atLeast("--workers", workers, 1);
        check.outputFolder("--out", out);
        run.validate(check, spec);
        return m.equals("both") ? List.of(Mode.FINETUNE, Mode.FREEZE) : List.of(Mode.parse(m));
    }

    /** How reports name the network: the pretrained MobileNetV2, or the file given. */
    private String modelName(Path file) {
        return network.isDefault() ? "ImageNet-pretrained MobileNetV2 1.0/224" : file.getFileName().toString();
    }

    private void writeResults(Path outDir, String runId, Backend be, String model, Path images,
                              TransferLearning.Options options,
                              Map<String, Object> scenarios, List<TransferLearning.Result> results) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "transfer");
        json.put("run_id", runId);
        json.put("backend", be.name());
        json.put("model", model + ", its last Gemm replaced by a new linear head");
        json.put("data", images.toString());
        json.put("options", options);
        json.put("scenarios", scenarios);
        Outputs.json(outDir.resolve("results.json"), json);
        Outputs.text(outDir.resolve("report.md"), report(be, model, options, results) + "\nRun " + runId + ".\n");
    }

    private static Map<String, Object> row(TransferLearning.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best_val_acc", r.bestValAcc());
        m.put("best_epoch", r.bestEpoch());
        m.put("restored_val_acc", r.valAccuracy());
        m.put("seconds", r.seconds());
        m.put("train_images", r.trainImages());
        m.put("val_images", r.valImages());
        m.put("classes", r.classes());
        m.put("history", r.history());
        List<Map<String, Object>> preds = new ArrayList<>();
        for (TransferLearning.Prediction p : r.predictions()) {
            preds.add(Map.of("image", p.image().toString(), "predicted", r.classes().get(p.predicted()),
                    "actual", r.classes().get(p.actual())));
        }
        m.put("val_predictions", preds);
        return m;
    }

    /** Every mistake (up to the grid's size), then correct predictions in a seeded random order. */
    private List<PredictionGrid.Item> gridItems(TransferLearning.Result r) {
        List<TransferLearning.Prediction> wrong = new ArrayList<>();
        List<TransferLearning.Prediction> right = new ArrayList<>();
        for (TransferLearning.Prediction p : r.predictions()) {
            (p.predicted() == p.actual() ? right : wrong).add(p);
        }
        Collections.shuffle(right, new Random(seed));
        List<TransferLearning.Prediction> chosen = new ArrayList<>(wrong.subList(0, Math.min(wrong.size(), GRID_IMAGES)));
        chosen.addAll(right.subList(0, Math.min(right.size(), GRID_IMAGES - chosen.size())));
        Collections.shuffle(chosen, new Random(seed + 1));
        return chosen.stream().map(p -> new PredictionGrid.Item(p.image(), p.predicted(), p.actual())).toList();
    }

    private static void writePlots(Path dir, TransferLearning.Result r, String runId) throws IOException {
        List<Trainer.Epoch> h = r.history();
        String title = r.mode().id();
        Charts.line(dir.resolve("loss.png"), "Loss per epoch, " + title, "epoch", "loss", List.of(
                new Charts.Curve("train", h.stream().map(e -> e.train().loss()).toList()),
                new Charts.Curve("val", h.stream().map(e -> e.val().loss()).toList())), runId);
        Charts.line(dir.resolve("accuracy.png"), "Accuracy per epoch, " + title, "epoch", "accuracy", List.of(
                new Charts.Curve("train", h.stream().map(e -> e.train().accuracy()).toList()),
                new Charts.Curve("val", h.stream().map(e -> e.val().accuracy()).toList())), runId);
    }

    private static String report(Backend be, String model, TransferLearning.Options o,
                                 List<TransferLearning.Result> results) {
        StringBuilder md = new StringBuilder("# Transfer learning: ants vs bees\n\n");
        md.append(String.format(Locale.ROOT, "%s with a new 2-class linear layer;"
                + " backend `%s`; %d epochs, batch %d, SGD lr %s momentum 0.9 (pretrained layers x%s when fine-tuning),"
                + " x%s every %d epochs; seed %d. "
                + "Training images get a random resized crop and a flip, validation images a centre crop.%n%n",
                model, be.name(), o.epochs(), o.batchSize(), o.learningRate(), o.featuresLrScale(), o.gamma(), o.stepSize(),
                o.seed()));
        md.append("| scenario | best val acc | epoch | val acc of the restored weights | train images | val images |"
                + " seconds |\n|---|---|---|---|---|---|---|\n");
        for (TransferLearning.Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %d | %.4f | %d | %d | %.0f |%n", r.mode().id(),
                    r.bestValAcc(), r.bestEpoch(), r.valAccuracy(), r.trainImages(), r.valImages(), r.seconds()));
        }
        for (TransferLearning.Result r : results) {
            String id = r.mode().id();
            md.append("\n## ").append(id).append("\n\n| epoch | lr | train loss | train acc | val loss | val acc |"
                    + " seconds |\n|---|---|---|---|---|---|---|\n");
            for (Trainer.Epoch e : r.history()) {
                md.append(String.format(Locale.ROOT, "| %d | %.0e | %.4f | %.4f | %.4f | %.4f | %.0f |%n", e.epoch(),
                        e.learningRate(), e.train().loss(), e.train().accuracy(), e.val().loss(), e.val().accuracy(),
                        e.train().seconds() + e.val().seconds()));
            }
            md.append(String.format("%n![loss](%1$s/loss.png) ![accuracy](%1$s/accuracy.png)%n%n"
                    + "Validation predictions (every mistake, red, then correct ones):%n%n"
                    + "![predictions](%1$s/predictions.png)%n", id));
        }
        return md.toString();
    }
}
