package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.data.CaptionData;
import dev.nabla.data.CocoCaptioning;
import dev.nabla.data.FeatureScaling;
import dev.nabla.data.Flickr8k;
import dev.nabla.data.ImageFeatures;
import dev.nabla.data.ImagePreprocessing;
import dev.nabla.data.Vocabulary;
import dev.nabla.io.AtomicFile;
import dev.nabla.io.Npy;
import dev.nabla.io.ParamStore;
import dev.nabla.metrics.Bleu;
import dev.nabla.models.CaptioningRNN;
import dev.nabla.spark.SparkRuns;
import dev.nabla.train.CaptioningSolver;
import dev.nabla.train.Solver;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nabla captioning}: the course's image-captioning network on Flickr8k or the course's COCO layout. */
@Command(name = "captioning", mixinStandardHelpOptions = true,
        description = {"Train the captioning RNN/LSTM on image features and caption images greedily.",
            "Default: Flickr8k train split (MobileNetV2 features, cached), captions for the test split, BLEU-1..4.",
            "--overfit: the course's small-data run (50 captions of 50 images of the cs231n-layout sample; loss below 0.1)."})
final class CaptioningCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptioningCommand.class);
    /** The metric that chooses the kept epoch: BLEU-4 of greedy captions of the dev split. */
    private static final String DEV_BLEU4 = "dev_bleu4";
    /** Where the course-layout sample lives inside the data folder (the --overfit data). */
    static final String COCO_SAMPLE = "coco_captioning/cs231n_layout_sample";

    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    DataDirOption data = new DataDirOption();

    @Option(names = "--overfit", description = "The course's small-data run: 50 training captions, hidden 512, "
            + "word vectors 256, adam 5e-3 x0.95 per epoch, 50 epochs, batch 25 (default cell rnn).")
    boolean overfit;

    @Option(names = "--dataset", defaultValue = "flickr8k", description = "flickr8k or coco (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--cell", description = "rnn or lstm (default: lstm; rnn with --overfit).")
    String cell;

    @Option(names = "--epochs", description = "Epochs (default: 8; 50 with --overfit).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Captions per minibatch (default: 100; 25 with --overfit).")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Initial Adam learning rate (default: 2e-3; 5e-3 with --overfit).")
    Double learningRate;

    @Option(names = "--lr-decay", paramLabel = "F", description = "Learning-rate factor after each epoch (default: 0.9; 0.95 with --overfit).")
    Double lrDecay;

    @Option(names = "--hidden", defaultValue = "512", description = "Hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--wordvec", defaultValue = "256", description = "Word vector size W (default: ${DEFAULT-VALUE}).")
    int wordvec;

    @Option(names = "--min-count", defaultValue = "5",
            description = "Flickr8k vocabulary: keep words seen at least this often in the training captions (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--max-words", defaultValue = "16",
            description = "Flickr8k: longer training captions are left out; captions are <START> + words + <END>, padded (default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Folder for the cached image features (default: $XDG_CACHE_HOME/nabla, else ~/.cache/nabla).")
    Path cacheDir;

    @Option(names = "--coco-dir", paramLabel = "DIR",
            description = "The course's coco_captioning folder (default: <data-dir>/coco_captioning; with --overfit <data-dir>/" + COCO_SAMPLE + ").")
    Path cocoDir;

    @Option(names = "--coco-features", paramLabel = "NAME",
            description = "Feature files <split>2014_NAME.h5 (default: " + CocoCaptioning.COURSE_FEATURES + "; with --overfit mobilenet_v2_pool).")
    String cocoFeatures;

    @Option(names = "--samples", defaultValue = "8", description = "Train and test images shown in report.md and captions.html (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--no-dev", description = "Flickr8k: train for all epochs and keep the last parameters instead of "
            + "choosing the epoch by BLEU-4 on the dev split.")
    boolean noDev;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization and minibatch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output folder (default: out/captioning, or out/captioning-overfit).")
    Path out;

    @Option(names = "--train-limit", hidden = true, description = "Use only the first N training images (quick trials).")
    Integer trainLimit;

    @Option(names = "--test-limit", hidden = true, description = "Caption only the first N test images (quick trials).")
    Integer testLimit;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    SparkOption spark = new SparkOption();

    @Spec
    CommandSpec spec;

    /** Where the evaluation images come from, for the HTML page: a folder of files or a list of URLs. */
    private record Split(CaptionData data, Path imageDir) {
    }

    @Override
    public Integer call() throws IOException {
        Path outFinal = out != null ? out : Path.of(overfit ? "out/captioning-overfit" : "out/captioning");
        CaptioningRNN.Cell cellKind = validate(outFinal);
        if (spark.enabled()) {
            if (overfit || !dataset.equals("flickr8k")) {
                throw new IllegalArgumentException("--spark computes the Flickr8k image features; "
                        + (overfit ? "--overfit" : "--dataset " + dataset) + " reads features from files instead");
            }
            spark.check();
        }
        try (RunFolder folder = run.open(outFinal, spec, LOG)) {
            return call(cellKind, folder);
        }
    }

    /** The run, writing everything into the run's own folder, which is swapped in as {@code --out} at the end. */
    private int call(CaptioningRNN.Cell cellKind, RunFolder folder) throws IOException {
        Path outDir = folder.dir();
        String runId = folder.runId();
        Backend be = backend.resolve();
        Path dataDir = data.resolve();
        PrintWriter stdout = spec.commandLine().getOut();

        long t0 = System.nanoTime();
        Vocabulary vocab;
        Split train;
        Split test;
        CaptionData dev = null;
        String datasetName;
        if (overfit || dataset.equalsIgnoreCase("coco")) {
            Path dir = cocoDir != null ? cocoDir : dataDir.resolve(overfit ? COCO_SAMPLE : "coco_captioning");
            String feats = cocoFeatures != null ? cocoFeatures : overfit ? "mobilenet_v2_pool" : CocoCaptioning.COURSE_FEATURES;
            vocab = CocoCaptioning.vocabulary(dir);
            CaptionData tr = overfit ? CocoCaptioning.smallData(dir, feats, vocab, 50)
                    : CocoCaptioning.load(dir, "train", feats, vocab);
            train = new Split(tr, null);
            test = new Split(CocoCaptioning.load(dir, "val", feats, vocab), null);
            datasetName = (overfit ? "coco-layout sample " : "coco ") + dir;
        } else {
            Flickr8k f = Flickr8k.open(dataDir);
            Path cache = cacheDir != null ? cacheDir : ImageFeatures.defaultCacheDir();
            if (spark.enabled()) {
                Map<String, Integer> limits = new LinkedHashMap<>();
                limits.put("train", trainLimit);
                limits.put("test", testLimit);
                if (!noDev) {
                    limits.put("dev", testLimit);
                }
                SparkRuns.flickrFeatures(spark.master, dataDir, cache, limits, be.name());
            }
            List<String> trainImages = f.split("train");
            vocab = Vocabulary.build(f.captionsOf(trainImages), minCount);
            int all = Integer.MAX_VALUE;
            train = new Split(f.load("train", trainLimit != null ? trainLimit : all, vocab, maxWords, dataDir, cache,
                    be), f.imageDir());
            test = new Split(f.load("test", testLimit != null ? testLimit : all, vocab, maxWords, dataDir, cache, be),
                    f.imageDir());
            if (!noDev) {
                dev = f.load("dev", testLimit != null ? testLimit : all, vocab, maxWords, dataDir, cache, be);
            }
            datasetName = "flickr8k " + dataDir.resolve(Flickr8k.DIR);
        }
        double dataSeconds = (System.nanoTime() - t0) / 1e9;
        CaptionData trainData = limitImages(train.data(), trainLimit);
        CaptionData testData = limitImages(test.data(), testLimit);
        FeatureScaling scaling = FeatureScaling.fit(trainData.features(), trainData.featureDim());
        trainData = scaling.apply(trainData);
        testData = scaling.apply(testData);
        CaptionData devData = dev == null ? null : scaling.apply(dev);

        int epochCount = epochs != null ? epochs : overfit ? 50 : 8;
        Solver.Config config = new Solver.Config().updateRule("adam")
                .learningRate(learningRate != null ? learningRate : overfit ? 5e-3 : 2e-3)
                .lrDecay(lrDecay != null ? lrDecay : overfit ? 0.95 : 0.9)
                .batchSize(batchSize != null ? batchSize : overfit ? 25 : 100)
                .epochs(epochCount).seed(seed).printEvery(overfit ? 10 : 0);
        config.checkpointDir(outDir.resolve(RunOptions.CHECKPOINTS)).keepCheckpoints(run.keep())
                .earlyStopping(run.patience(), run.minDelta()).note("dataset", dataset).note("cell", cellKind)
                .note("hidden", hidden).note("wordvec", wordvec).note("overfit", overfit);
        CaptioningRNN model = new CaptioningRNN(be, DType.FLOAT32, new CaptioningRNN.Config(trainData.featureDim(),
                wordvec, hidden, vocab.size(), cellKind, Vocabulary.NULL_ID), seed);
        LOG.info("training the {} captioning network on {} captions of {} images ({}), vocabulary {}, backend {}",
                cellKind, trainData.captions().length, trainData.imageCount(), datasetName, vocab.size(), be.name());
        CaptioningSolver solver = new CaptioningSolver(model, new CaptioningSolver.Data(trainData.features(),
                trainData.featureDim(), trainData.captions(), trainData.imageIdxs()), config);
        if (run.resume != null) {
            LOG.info("resuming after epoch {} of {}", solver.resume(RunOptions.checkpoints(run.resume),
                    run.resumeWithChanges), run.resume);
        }
        long t1 = System.nanoTime();
        // The epoch is chosen on the dev split (BLEU-4 of greedy captions), as Solver chooses by validation
        // accuracy; the test split is captioned once, at the end.
        List<Map<String, Object>> devHistory = new ArrayList<>();
        if (devData != null) {
            CaptionData devSet = devData;
            int maxLen = trainData.captions()[0].length - 1;
            solver.evaluateWith(epoch -> {
                Bleu.Result b = bleu(generate(model, devSet, vocab, be, maxLen), devSet);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("loss", null); // filled in after training: the loop reports it with the epoch's record
                row.put("dev_bleu", bleuJson(b));
                devHistory.add(row);
                LOG.info(String.format(Locale.ROOT, "(Epoch %d) dev BLEU-1..4 %.4f %.4f %.4f %.4f", epoch,
                        b.bleu(1), b.bleu(2), b.bleu(3), b.bleu(4)));
                return Map.of(DEV_BLEU4, b.bleu(4));
            }, DEV_BLEU4);
        }
        solver.listen(new Progress(cellKind.name().toLowerCase(Locale.ROOT), LOG)).train();
        for (int i = 0; i < devHistory.size(); i++) {
            devHistory.get(i).put("loss", solver.epochs().get(i).loss());
        }
        if (solver.bestEpoch() > 0) {
            LOG.info("kept the parameters of epoch {} (best dev BLEU-4 {})", solver.bestEpoch(), solver.best());
        }
        double trainSeconds = (System.nanoTime() - t1) / 1e9;

        int maxLength = trainData.captions()[0].length - 1;
        // Overfit: the training images are what the network learnt, so they are the "test" of interest too.
        CaptionData evalData = overfit ? imagesOfCaptions(trainData) : testData;
        List<String> generated = generate(model, evalData, vocab, be, maxLength);
        Bleu.Result bleu = bleu(generated, evalData);
        List<String> trainGenerated = generate(model, sampleImages(trainData, samples), vocab, be, maxLength);
        double finalLoss = solver.lossHistory().get(solver.lossHistory().size() - 1);

        Files.createDirectories(outDir);
        // The scaling is part of the model (features must be standardised the same way to be captioned), so it
        // is written in the same atomic folder as the weights.
        Map<String, Tensor> saved = new LinkedHashMap<>(model.params());
        saved.put("feature_mean", Tensors.of(be, DType.FLOAT64, scaling.mean(), scaling.mean().length));
        saved.put("feature_std", Tensors.of(be, DType.FLOAT64, scaling.std(), scaling.std().length));
        ParamStore.save(outDir.resolve("model"), saved, modelJson(model, vocab, runId));
        Charts.line(outDir.resolve("loss.png"), "Captioning loss, " + cellKind + ", " + be.name(), "iteration", "loss",
                List.of(new Charts.Curve("training loss", solver.lossHistory())), runId);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", "captioning");
        results.put("run_id", runId);
        results.put("mode", overfit ? "overfit" : "train");
        results.put("dataset", datasetName);
        results.put("backend", be.name());
        results.put("cell", cellKind.name().toLowerCase(Locale.ROOT));
        results.put("hidden", hidden);
        results.put("wordvec", wordvec);
        results.put("vocabulary", vocab.size());
        if (!overfit && dataset.equalsIgnoreCase("flickr8k")) {
            results.put("min_count", minCount);
            results.put("max_words", maxWords);
        }
        results.put("training", config.describe());
        results.put("train_captions", trainData.captions().length);
        results.put("train_images", trainData.imageCount());
        results.put("eval_split", overfit ? "the training images" : testData.name());
        results.put("eval_images", evalData.imageCount());
        results.put("data_seconds", dataSeconds);
        results.put("train_seconds", trainSeconds);
        results.put("final_loss", finalLoss);
        results.put("epochs", solver.epochs());
        if (devData != null) {
            results.put("dev_history", devHistory);
            results.put("chosen_epoch", solver.bestEpoch());
        }
        results.put("loss_history", solver.lossHistory());
        results.put("bleu", bleuJson(bleu));
        List<Map<String, Object>> captions = new ArrayList<>();
        for (int i = 0; i < evalData.imageCount(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("image", evalData.images().get(i));
            c.put("generated", generated.get(i));
            c.put("references", evalData.references().get(i));
            captions.add(c);
        }
        results.put("captions", captions);
        Outputs.json(outDir.resolve("results.json"), results);

        CaptionData trainSample = sampleImages(trainData, samples);
        List<Shown> shown = new ArrayList<>();
        for (int i = 0; i < trainSample.imageCount(); i++) {
            shown.add(new Shown("train", trainSample.images().get(i), trainGenerated.get(i), trainSample.references().get(i)));
        }
        int step = Math.max(1, evalData.imageCount() / Math.max(samples, 1));
        for (int i = 0, k = 0; i < evalData.imageCount() && k < samples; i += step, k++) {
            shown.add(new Shown(overfit ? "train" : "test", evalData.images().get(i), generated.get(i),
                    evalData.references().get(i)));
        }
        Outputs.text(outDir.resolve("report.md"), report(be, cellKind, vocab.size(), datasetName, trainData, evalData, config,
                finalLoss, trainSeconds, solver.bestEpoch(), solver.bestEpoch() > 0 ? solver.best() : -1, bleu, shown)
                + "\nRun " + runId + ".\n");
        writeHtml(outDir, train.imageDir(), shown, bleu, runId);
        run.finish(outDir);
        folder.commit();

        stdout.printf(Locale.ROOT, "final loss %.4f after %d epochs (%s, %s, %.0f s training)%n", finalLoss,
                epochCount, cellKind.name().toLowerCase(Locale.ROOT), be.name(), trainSeconds);
        stdout.printf(Locale.ROOT, "BLEU-1 %.4f  BLEU-2 %.4f  BLEU-3 %.4f  BLEU-4 %.4f  on %d images (%s)%n",
                bleu.bleu(1), bleu.bleu(2), bleu.bleu(3), bleu.bleu(4), evalData.imageCount(),
                overfit ? "training images" : testData.name());
        stdout.printf("wrote %s (results.json, report.md, loss.png, captions.html, model/)%n", folder.out());
        stdout.flush();
        return 0;
    }

    /** One image shown in the report and on the HTML page. */
    private record Shown(String split, String image, String generated, List<String> references) {
    }

    /** Every option checked before any data is read, so that a bad value fails at once and by its name. */
    private CaptioningRNN.Cell validate(Path outFinal) {
        OptionCheck check = new OptionCheck(spec);
        check.oneOf("--dataset", dataset, List.of("flickr8k", "coco"));
        String c = cell != null ? check.oneOf("--cell", cell, List.of("rnn", "lstm")) : overfit ? "rnn" : "lstm";
        check.atLeast("--epochs", epochs, 1);
        check.atLeast("--batch-size", batchSize, 1);
        check.positive("--learning-rate", learningRate);
        check.decay("--lr-decay", lrDecay);
        check.atLeast("--hidden", hidden, 1);
        check.atLeast("--wordvec", wordvec, 1);
        check.atLeast("--min-count", minCount, 1);
        check.atLeast("--max-words", maxWords, 1);
        check.atLeast("--samples", samples, 0);
        check.atLeast("--train-limit", trainLimit, 1);
        check.atLeast("--test-limit", testLimit, 1);
        check.namePart("--coco-features", cocoFeatures, "<split>2014_NAME.h5");
        check.notAFile("--cache-dir", cacheDir);
        check.outputFolder("--out", outFinal);
        run.validate(check, spec);
        return c.equals("rnn") ? CaptioningRNN.Cell.RNN : CaptioningRNN.Cell.LSTM;
    }

    /** The greedy caption of every image of {@code d}, in batches. */
    static List<String> generate(CaptioningRNN model, CaptionData d, Vocabulary vocab, Backend be, int maxLength) {
        List<String> out = new ArrayList<>();
        int batch = 500;
        for (int from = 0; from < d.imageCount(); from += batch) {
            int to = Math.min(from + batch, d.imageCount());
            int[] rows = java.util.stream.IntStream.range(from, to).toArray();
            Tensor x = be.fromArray(d.featureRows(rows), DType.FLOAT32, Shape.of(rows.length, d.featureDim()));
            for (int[] ids : model.sample(x, Vocabulary.START_ID, Vocabulary.END_ID, maxLength)) {
                out.add(vocab.decode(ids));
            }
        }
        return out;
    }

    /** Corpus BLEU of the generated captions against each image's references, tokenised alike. */
    static Bleu.Result bleu(List<String> generated, CaptionData d) {
        List<List<String>> cands = generated.stream().map(Vocabulary::tokenize).toList();
        List<List<List<String>>> refs = d.references().stream()
                .map(rs -> rs.stream().map(Vocabulary::tokenize).toList()).toList();
        return Bleu.corpus(cands, refs, 4);
    }

    private static Map<String, Object> bleuJson(Bleu.Result b) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int n = 1; n <= 4; n++) {
            m.put("bleu" + n, b.bleu(n));
        }
        List<Double> p = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            p.add(b.precision(n));
        }
        m.put("precisions", p);
        m.put("brevity_penalty", b.brevityPenalty());
        m.put("candidate_length", b.candidateLength());
        m.put("reference_length", b.referenceLength());
        return m;
    }

    /** The first {@code limit} images of {@code d} and their captions (null: all). */
    private static CaptionData limitImages(CaptionData d, Integer limit) {
        if (limit == null || limit >= d.imageCount()) {
            return d;
        }
        int[] rows = java.util.stream.IntStream.range(0, limit).toArray();
        List<int[]> caps = new ArrayList<>();
        List<Integer> idxs = new ArrayList<>();
        for (int i = 0; i < d.captions().length; i++) {
            if (d.imageIdxs()[i] < limit) {
                caps.add(d.captions()[i]);
                idxs.add(d.imageIdxs()[i]);
            }
        }
        return new CaptionData(d.name(), d.featureRows(rows), d.featureDim(), caps.toArray(new int[0][]),
                idxs.stream().mapToInt(Integer::intValue).toArray(), d.images().subList(0, limit),
                d.references().subList(0, limit));
    }

    /** Only the images that some caption of {@code d} uses, in order of first use, with all their references. */
    private static CaptionData imagesOfCaptions(CaptionData d) {
        List<Integer> used = new ArrayList<>();
        for (int idx : d.imageIdxs()) {
            if (!used.contains(idx)) {
                used.add(idx);
            }
        }
        int[] rows = used.stream().mapToInt(Integer::intValue).toArray();
        int[] newIdx = new int[d.imageIdxs().length];
        for (int i = 0; i < newIdx.length; i++) {
            newIdx[i] = used.indexOf(d.imageIdxs()[i]);
        }
        return new CaptionData(d.name(), d.featureRows(rows), d.featureDim(), d.captions(), newIdx,
                used.stream().map(d.images()::get).toList(), used.stream().map(d.references()::get).toList());
    }

    /** {@code n} images spread over the images that have captions, without captions (for generation only). */
    private static CaptionData sampleImages(CaptionData d, int n) {
        CaptionData used = imagesOfCaptions(d);
        int step = Math.max(1, used.imageCount() / Math.max(n, 1));
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < used.imageCount() && rows.size() < n; i += step) {
            rows.add(i);
        }
        int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
        return new CaptionData(d.name(), used.featureRows(r), d.featureDim(), new int[0][], new int[0],
                rows.stream().map(used.images()::get).toList(), rows.stream().map(used.references()::get).toList());
    }

    private String modelJson(CaptioningRNN model, Vocabulary vocab, String runId) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "nabla-captioning/1");
        m.put("run_id", runId);
        m.put("cell", model.config().cell().name().toLowerCase(Locale.ROOT));
        m.put("input_dim", model.config().inputDim());
        m.put("wordvec_dim", model.config().wordVecDim());
        m.put("hidden_dim", model.config().hiddenDim());
        m.put("vocabulary", vocab.toJson());
        return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m);
    }

    private String report(Backend be, CaptioningRNN.Cell cellKind, int vocabSize, String datasetName, CaptionData train,
                          CaptionData eval, Solver.Config config, double finalLoss, double trainSeconds,
                          int chosenEpoch, double chosenDevBleu4,
                          Bleu.Result bleu, List<Shown> shown) {
        StringBuilder md = new StringBuilder();
        md.append("# Image captioning").append(overfit ? ": the course's small-data (overfit) run" : "").append("\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s. %d training captions of %d images; %s cell, hidden %d, word "
                + "vectors %d, vocabulary %d; backend `%s`; training %s.%n%n", datasetName, train.captions().length,
                train.imageCount(), cellKind.name().toLowerCase(Locale.ROOT), hidden, wordvec,
                vocabSize, be.name(), config.describe()));
        md.append(String.format(Locale.ROOT, "Final training loss **%.4f** (last iteration), %.0f s of training.%n%n",
                finalLoss, trainSeconds));
        if (chosenEpoch > 0) {
            md.append(String.format(Locale.ROOT, "Parameters of epoch %d kept: the best BLEU-4 on the dev split "
                    + "(%.4f).%n%n", chosenEpoch, chosenDevBleu4));
        }
        md.append(String.format(Locale.ROOT, "Corpus BLEU on %d %s images (greedy captions against every reference, "
                + "no smoothing; see docs/bleu.md):%n%n| BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 |%n|---|---|---|---|%n"
                + "| %.4f | %.4f | %.4f | %.4f |%n%n", eval.imageCount(), overfit ? "training" : "test", bleu.bleu(1),
                bleu.bleu(2), bleu.bleu(3), bleu.bleu(4)));
        md.append("![loss](loss.png)\n\n## Sampled captions\n\nAlso as a page with the images: "
                + "[captions.html](captions.html).\n\n");
        for (Shown s : shown) {
            md.append("**").append(s.split()).append("** `").append(s.image()).append("`\n\n");
            md.append("- generated: **").append(s.generated()).append("**\n");
            for (String r : s.references()) {
                md.append("- reference: ").append(r).append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** captions.html: each shown image (a thumbnail copied into thumbs/, or its URL) with its captions. */
    private static void writeHtml(Path outDir, Path imageDir, List<Shown> shown, Bleu.Result bleu, String runId)
            throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"nabla-run-id\""
                + " content=\"" + runId + "\"><title>Captions</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:auto}"
                + ".c{display:flex;gap:16px;margin:12px 0;border-bottom:1px solid #ddd;padding-bottom:12px}"
                + "img{width:224px;height:224px;object-fit:cover}.g{font-weight:bold;color:#036}</style></head><body>\n");
        h.append(String.format(Locale.ROOT, "<h1>Sampled captions</h1><p>Corpus BLEU-1..4: %.4f %.4f %.4f %.4f</p>%n",
                bleu.bleu(1), bleu.bleu(2), bleu.bleu(3), bleu.bleu(4)));
        for (int i = 0; i < shown.size(); i++) {
            Shown s = shown.get(i);
            String src = s.image();
            if (imageDir != null) {
                src = "thumbs/" + i + ".jpg";
                thumbnail(imageDir.resolve(s.image()), outDir.resolve(src));
            }
            h.append("<div class=\"c\"><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(s.image()))
                    .append("\"><div><p>").append(escape(s.split())).append(" · ").append(escape(s.image()))
                    .append("</p><p class=\"g\">").append(escape(s.generated())).append("</p><ul>");
            for (String r : s.references()) {
                h.append("<li>").append(escape(r)).append("</li>");
            }
            h.append("</ul></div></div>\n");
        }
        h.append("</body></html>\n");
        Outputs.text(outDir.resolve("captions.html"), h.toString());
    }

    /** A 224-pixel JPEG copy of an image, so that the page stands alone without the data folder. */
    private static void thumbnail(Path image, Path target) throws IOException {
        BufferedImage src = ImagePreprocessing.decode(image);
        int w = Math.min(224, src.getWidth());
        int h = Math.max(1, src.getHeight() * w / src.getWidth());
        BufferedImage t = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = t.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        AtomicFile.write(target, o -> ImageIO.write(t, "jpg", o));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
