package dev.nabla.train;

import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.ParamStore;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A {@link TrainingLoop}'s checkpoint after an epoch: the folder {@code epoch_NNN/}, written whole or not at all.
 *
 * <p>Its top level is what a user loads: the evaluated weights and buffers as {@code <name>.npy} (a weight
 * average's, when the run keeps one) and {@code model.json}. {@code training/} holds the rest of the run for
 * {@link TrainingLoop#resume}: {@code live.<name>.npy} (the state the next step starts from), {@code opt.<param>.<i>.npy}
 * (every optimizer state tensor), {@code ema.<param>.npy}, {@code best.<name>.npy}, {@code losses.npy} and
 * {@code epoch.<field>.npy} (the history, in float64 so it comes back exactly) and {@code training.properties}
 * (format version, epoch, iteration, learning rate, counters, the random generators' states and the
 * configuration the run started with).
 */
final class Checkpoint {
    /** The format written; a checkpoint of a larger version is refused. */
    static final int VERSION = 2;
    static final String FORMAT = "nabla-checkpoint/" + VERSION;
    private static final String TRAINING = "training";
    private static final String PROPERTIES = "training.properties";

    private Checkpoint() {
    }

    /** The folder of epoch {@code e}'s checkpoint. */
    static Path folder(Path dir, int e) {
        return dir.resolve(String.format(Locale.ROOT, "epoch_%03d", e));
    }

    /** Writes epoch {@code e}'s checkpoint; {@code live} holds the live parameters when an average is swapped in. */
    static void write(TrainingLoop loop, int e, Map<String, Tensor> live) throws IOException {
        Trainable model = loop.model();
        TrainingLoop.EpochResult r = loop.epochs.get(loop.epochs.size() - 1);
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT, "{\"format\": \"%s\", \"epoch\": %d,"
                + " \"loss\": %s", FORMAT, e, r.loss()));
        r.metrics().forEach((k, v) -> json.append(String.format(Locale.ROOT, ", \"%s\": %s", k, v)));
        json.append(String.format(Locale.ROOT, ", \"learning_rate\": %s, \"weights\": %s}%n", r.learningRate(),
                loop.ema == null ? "\"live\"" : "\"ema\", \"ema_decay\": " + loop.config().emaDecay));
        ParamStore.writeFolder(folder(loop.config().checkpointDir, e), dir -> {
            ParamStore.writeTensors(dir, model.state());
            Files.writeString(dir.resolve(ParamStore.DESCRIPTION), json.toString(), StandardCharsets.UTF_8);
            Path t = Files.createDirectory(dir.resolve(TRAINING));
            Map<String, Tensor> liveState = new LinkedHashMap<>(model.state());
            if (live != null) {
                liveState.putAll(live);
            }
            ParamStore.writeTensors(t, prefixed("live.", liveState));
            Properties p = new Properties();
            p.setProperty("format", FORMAT);
            p.setProperty("version", Integer.toString(VERSION));
            p.setProperty("epoch", Integer.toString(e));
            p.setProperty("iteration", Integer.toString(loop.iteration));
            p.setProperty("learning_rate", Double.toString(loop.optimizer().learningRate()));
            p.setProperty("first_loss", Double.toString(loop.firstLoss));
            p.setProperty("best", Double.toString(loop.best));
            p.setProperty("best_epoch", Integer.toString(loop.bestEpoch));
            for (Map.Entry<String, Optimizer.Saved> o : loop.optimizer().saveState().entrySet()) {
                Tensor[] ts = o.getValue().tensors();
                for (int i = 0; i < ts.length; i++) {
                    ParamStore.writeTensors(t, Map.of("opt." + o.getKey() + "." + i, ts[i]));
                }
                p.setProperty("opt." + o.getKey() + ".steps", Long.toString(o.getValue().steps()));
                p.setProperty("opt." + o.getKey() + ".tensors", Integer.toString(ts.length));
            }
            if (loop.ema != null) {
                ParamStore.writeTensors(t, prefixed("ema.", loop.ema.average()));
                p.setProperty("ema_steps", Long.toString(loop.ema.steps()));
            }
            if (loop.bestState != null) {
                ParamStore.writeTensors(t, prefixed("best.", loop.bestState));
            }
            model.counters().forEach((k, v) -> p.setProperty("counter." + k, Long.toString(v)));
            loop.stateful().forEach((k, s) -> p.setProperty("state." + k, s.save()));
            loop.config().description.forEach((k, v) -> p.setProperty("config." + k, String.valueOf(v)));
            writeHistory(loop, t, p);
            try (Writer w = Files.newBufferedWriter(t.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
                p.store(w, "Nabla training state after epoch " + e + "; see Checkpoint.java");
            }
        });
    }

    private static void writeHistory(TrainingLoop loop, Path t, Properties p) throws IOException {
        Npy.write(t.resolve("losses.npy"), Shape.of(loop.lossHistory.size()),
                loop.lossHistory.stream().mapToDouble(Double::doubleValue).toArray());
        List<TrainingLoop.EpochResult> es = loop.epochs;
        Npy.write(t.resolve("epoch.loss.npy"), Shape.of(es.size()), es.stream().mapToDouble(TrainingLoop.EpochResult::loss)
                .toArray());
        Npy.write(t.resolve("epoch.learning_rate.npy"), Shape.of(es.size()),
                es.stream().mapToDouble(TrainingLoop.EpochResult::learningRate).toArray());
        Npy.write(t.resolve("epoch.seconds.npy"), Shape.of(es.size()),
                es.stream().mapToDouble(TrainingLoop.EpochResult::seconds).toArray());
        Npy.write(t.resolve("epoch.steps.npy"), Shape.of(es.size()), es.stream().mapToDouble(TrainingLoop.EpochResult::steps)
                .toArray());
        Npy.write(t.resolve("epoch.best.npy"), Shape.of(es.size()), es.stream().mapToDouble(r -> r.best() ? 1 : 0)
                .toArray());
        List<String> names = es.isEmpty() ? List.of() : List.copyOf(es.get(es.size() - 1).metrics().keySet());
        p.setProperty("metrics", String.join(",", names));
        for (String m : names) {
            Npy.write(t.resolve("epoch.metric." + m + ".npy"), Shape.of(es.size()),
                    es.stream().mapToDouble(r -> r.metrics().getOrDefault(m, Double.NaN)).toArray());
        }
    }

    private static Map<String, Tensor> prefixed(String prefix, Map<String, Tensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** Deletes what a killed run left half-written in {@code dir}: temporary and replaced checkpoint folders. */
    static void cleanUp(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".epoch_") && (n.endsWith(".tmp") || n.contains(".old-"))) {
                    ParamStore.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not clean up the checkpoint folder " + dir, e);
        }
    }

    /** Deletes the checkpoints of epochs up to {@code last} (the newer ones are written; a resume needs only the latest). */
    static void deleteOlder(Path dir, int last) throws IOException {
        for (int e = last; e >= 1; e--) {
            Path f = folder(dir, e);
            if (!Files.exists(f)) {
                break;
            }
            ParamStore.deleteTree(f);
        }
    }

    /** The last complete checkpoint folder in {@code dir}: the highest epoch whose training state is all there. */
    static Path latest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no checkpoint folder here to resume from");
        }
        Optional<Path> last;
        try (Stream<Path> s = Files.list(dir)) {
            last = s.filter(p -> p.getFileName().toString().matches("epoch_\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(TRAINING).resolve(PROPERTIES)))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().substring(6))));
        }
        return last.orElseThrow(() -> new NoSuchFileException(dir.toString(), null, "no complete checkpoint"
                + " (epoch_NNN/ with training/" + PROPERTIES + ") to resume from"));
    }

    /** Restores {@code loop} from the last complete checkpoint in {@code dir}; returns its epoch. */
    static int restore(TrainingLoop loop, Path dir, boolean allowChanges) throws IOException {
        Path ckpt = latest(dir);
        Path t = ckpt.resolve(TRAINING);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(t.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        int version = intOf(p, "version", ckpt);
        if (version > VERSION) {
            throw new IOException(ckpt + ": checkpoint format version " + version + " is newer than this Nabla reads ("
                    + VERSION + ")");
        }
        requireSameConfig(loop.config().description, p, ckpt, allowChanges);
        Trainable model = loop.model();
        load(t, "live.", model.state());
        Map<String, Long> counters = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("counter.")) {
                counters.put(k.substring(8), Long.parseLong(p.getProperty(k)));
            }
        }
        model.restoreCounters(counters);
        for (Map.Entry<String, TrainingLoop.Stateful> s : loop.stateful().entrySet()) {
            String saved = p.getProperty("state." + s.getKey());
            if (saved == null) {
                throw new IOException(ckpt + ": the checkpoint holds no state of '" + s.getKey() + "'");
            }
            s.getValue().restore(saved);
        }
        Optimizer opt = loop.optimizer();
        for (Map.Entry<String, Tensor> param : model.params().entrySet()) {
            String key = "opt." + param.getKey();
            if (p.getProperty(key + ".steps") == null) {
                continue; // not updated yet when the checkpoint was written
            }
            int n = intOf(p, key + ".tensors", ckpt);
            Tensor[] ts = new Tensor[n];
            for (int i = 0; i < n; i++) {
                ts[i] = read(t.resolve(key + "." + i + ".npy"), param.getValue());
            }
            opt.restoreState(param.getKey(), ts, Long.parseLong(p.getProperty(key + ".steps")));
        }
        opt.setLearningRate(Double.parseDouble(p.getProperty("learning_rate")));
        if (loop.config().emaDecay > 0) {
            loop.ema = new ExponentialMovingAverage(model.params(), loop.config().emaDecay);
            load(t, "ema.", loop.ema.average());
            loop.ema.setSteps(Long.parseLong(p.getProperty("ema_steps", "0")));
        }
        int bestEpoch = intOf(p, "best_epoch", ckpt);
        if (bestEpoch > 0) {
            loop.bestState = Training.snapshot(model.state());
            load(t, "best.", loop.bestState);
        }
        loop.best = Double.parseDouble(p.getProperty("best"));
        loop.bestEpoch = bestEpoch;
        loop.iteration = intOf(p, "iteration", ckpt);
        loop.firstLoss = Double.parseDouble(p.getProperty("first_loss"));
        loop.epochsDone = intOf(p, "epoch", ckpt);
        readHistory(loop, t, p);
        return loop.epochsDone;
    }

    private static void requireSameConfig(Map<String, Object> now, Properties p, Path ckpt, boolean allowChanges)
            throws IOException {
        List<String> diffs = new ArrayList<>();
        Map<String, String> then = new TreeMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("config.")).forEach(k -> then.put(k.substring(7),
                p.getProperty(k)));
        for (Map.Entry<String, Object> e : now.entrySet()) {
            String was = then.remove(e.getKey());
            String is = String.valueOf(e.getValue());
            if (!is.equals(was)) {
                diffs.add(e.getKey() + " " + (was == null ? "unset" : was) + " in the checkpoint, " + is + " now");
            }
        }
        then.forEach((k, v) -> diffs.add(k + " " + v + " in the checkpoint, unset now"));
        if (!diffs.isEmpty() && !allowChanges) {
            throw new IllegalArgumentException(ckpt + " was written by a run with another configuration: "
                    + String.join("; ", diffs) + " (resume with the same options, or allow the changes)");
        }
    }

    /** Overwrites each tensor of {@code into} with {@code dir/<prefix><name>.npy}, checking the shape. */
    private static void load(Path dir, String prefix, Map<String, Tensor> into) throws IOException {
        for (Map.Entry<String, Tensor> e : into.entrySet()) {
            try (Tensor v = read(dir.resolve(prefix + e.getKey() + ".npy"), e.getValue())) {
                e.getValue().assign(v);
            }
        }
    }

    /** The array in {@code file} as a tensor like {@code like}: its backend, dtype and shape. */
    private static Tensor read(Path file, Tensor like) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing from the checkpoint");
        }
        NpyArray a = Npy.read(file);
        if (!a.shape().equals(like.shape())) {
            throw new IOException(file + " has shape " + a.shape() + " but the model expects " + like.shape());
        }
        return like.dtype() == DType.FLOAT64 ? like.backend().fromArray(a.asDoubles(), like.dtype(), like.shape())
                : like.backend().fromArray(a.asFloats(), like.dtype(), like.shape());
    }

    private static void readHistory(TrainingLoop loop, Path t, Properties p) throws IOException {
        loop.lossHistory.clear();
        for (double v : Npy.read(t.resolve("losses.npy")).asDoubles()) {
            loop.lossHistory.add(v);
        }
        double[] loss = Npy.read(t.resolve("epoch.loss.npy")).asDoubles();
        double[] lr = Npy.read(t.resolve("epoch.learning_rate.npy")).asDoubles();
        double[] seconds = Npy.read(t.resolve("epoch.seconds.npy")).asDoubles();
        double[] steps = Npy.read(t.resolve("epoch.steps.npy")).asDoubles();
        double[] best = Npy.read(t.resolve("epoch.best.npy")).asDoubles();
        String names = p.getProperty("metrics", "");
        Map<String, double[]> metrics = new LinkedHashMap<>();
        for (String m : names.isEmpty() ? new String[0] : names.split(",")) {
            metrics.put(m, Npy.read(t.resolve("epoch.metric." + m + ".npy")).asDoubles());
        }
        loop.epochs.clear();
        for (int i = 0; i < loss.length; i++) {
            Map<String, Double> m = new LinkedHashMap<>();
            int k = i;
            metrics.forEach((name, v) -> m.put(name, v[k]));
            loop.epochs.add(new TrainingLoop.EpochResult(i + 1, loss[i], lr[i], seconds[i], (int) steps[i],
                    java.util.Collections.unmodifiableMap(m), best[i] == 1));
        }
    }

    private static int intOf(Properties p, String key, Path ckpt) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(ckpt + ": " + PROPERTIES + " has no '" + key + "'");
        }
        return Integer.parseInt(v);
    }
}
