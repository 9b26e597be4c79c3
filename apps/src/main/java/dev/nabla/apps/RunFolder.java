package dev.nabla.apps;

import dev.nabla.io.KillPoint;
import dev.nabla.io.ParamStore;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * An output folder that belongs to one run at a time, and never mixes two runs' files.
 *
 * <p>The run takes a lock beside the folder ({@code .<name>.lock}, holding its id, process id and start time); a
 * second run into the same folder fails at once, naming the first, and a lock left by a process that no longer
 * runs is reported and taken over. Everything the run writes goes into {@code .<name>.partial-<run id>/} beside the
 * folder; {@link #commit} swaps that in as the folder, so the folder holds the complete old run or the complete
 * new one, never parts of both. A killed run leaves its partial folder (with its checkpoints, to resume from); the
 * next run in that place deletes such leftovers when it commits.
 */
final class RunFolder implements AutoCloseable {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path out;
    private final Path lock;
    private final Path partial;
    private final String runId;
    private final Logger log;
    private boolean committed;

    private RunFolder(Path out, Path lock, Path partial, String runId, Logger log) {
        this.out = out;
        this.lock = lock;
        this.partial = partial;
        this.runId = runId;
        this.log = log;
    }

    /**
     * Locks {@code out} for this run and makes its partial folder. Without {@code overwrite} an existing, non-empty
     * {@code out} is refused (it holds another run's results).
     *
     * @throws IllegalArgumentException naming {@code --out} when it is a file, cannot be written, is in use by a live
     *     run, or holds results and {@code overwrite} is off
     */
    static RunFolder open(Path out, boolean overwrite, Logger log) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException("--out " + out + " is an existing file, not a folder");
        }
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot create the folder " + parent + " (" + e + ")");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException("--out " + out + ": the folder " + parent + " is not writable");
        }
        if (holdsFiles(target)) {
            if (!overwrite) {
                throw new IllegalArgumentException("--out " + out + " already holds a run's results" + describe(target)
                        + "; leave out --no-overwrite to replace them when this run ends, or choose another --out");
            }
            log.info("--out {} holds a run's results{}; this run's replace them when it ends", out, describe(target));
        }
        String name = target.getFileName().toString();
        Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        String id = ID.format(Instant.now()) + "-" + Long.toHexString(ProcessHandle.current().pid()) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        Path lock = parent.resolve("." + name + ".lock");
        take(lock, out, id, start, log);
        finishInterruptedCommit(target, log);
        Path partial = parent.resolve("." + name + ".partial-" + id);
        try {
            Files.createDirectory(partial);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(lock);
            throw e;
        }
        return new RunFolder(target, lock, partial, id, log);
    }

    /** Creates the lock file, or fails naming the live run that holds it; a dead run's lock is taken over. */
    private static void take(Path lock, Path out, String id, Instant start, Logger log) throws IOException {
        String mine = "run=" + id + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + start + "\n";
        for (int attempt = 0; ; attempt++) {
            try {
                Files.writeString(lock, mine, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return;
            } catch (FileAlreadyExistsException e) {
                Properties other = new Properties();
                try {
                    other.load(new StringReader(Files.readString(lock, StandardCharsets.UTF_8)));
                } catch (NoSuchFileException gone) {
                    continue; // released meanwhile
                }
                String who = "run " + other.getProperty("run", "?") + " (pid " + other.getProperty("pid", "?")
                        + ", started " + other.getProperty("started", "?") + ")";
                if (alive(other) || attempt > 0) {
                    throw new IllegalArgumentException("--out " + out + " is in use by " + who + "; wait for it to end"
                            + " or choose another --out (its lock: " + lock + ")");
                }
                log.warn("--out {}: {} no longer runs; taking over its stale lock {}", out, who, lock);
                Files.deleteIfExists(lock);
            }
        }
    }

    /**
     * A run killed between the two renames of {@link #commit} left {@code out} missing, the old results in
     * {@code .<name>.old-<id>} and its own complete ones in {@code .<name>.partial-<id>}: finish its swap (or put the
     * old results back if its folder is gone). An {@code .old-} folder beside an existing {@code out} is the last
     * step's leftover: deleted.
     */
    private static void finishInterruptedCommit(Path out, Logger log) throws IOException {
        String name = out.getFileName().toString();
        try (Stream<Path> s = Files.list(out.getParent())) {
            for (Path old : s.filter(p -> p.getFileName().toString().startsWith("." + name + ".old-")).toList()) {
                String id = old.getFileName().toString().substring(name.length() + 6);
                Path partial = out.resolveSibling("." + name + ".partial-" + id);
                if (Files.exists(out)) {
                    ParamStore.deleteTree(old);
                } else if (Files.isDirectory(partial)) {
                    log.warn("--out {}: run {} was killed while swapping its results in; finishing the swap", out, id);
                    Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
                    ParamStore.deleteTree(old);
                } else {
                    log.warn("--out {}: putting back the results that run {} was replacing when it was killed", out, id);
                    Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    /** Whether the process of a lock still runs: same pid and the same start time (a reused pid is another process). */
    private static boolean alive(Properties lock) {
        long pid;
        try {
            pid = Long.parseLong(lock.getProperty("pid", ""));
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = h.get().info().startInstant();
        String recorded = lock.getProperty("started", "");
        return started.isEmpty() || recorded.isEmpty() || started.get().toString().equals(recorded);
    }

    private static boolean holdsFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /** ", those of run <id>" when its results.json names one. */
    private static String describe(Path dir) {
        try {
            String json = Files.readString(dir.resolve("results.json"), StandardCharsets.UTF_8);
            int i = json.indexOf("\"run_id\"");
            if (i >= 0) {
                int q = json.indexOf('"', json.indexOf(':', i) + 1);
                return ", those of run " + json.substring(q + 1, json.indexOf('"', q + 1));
            }
        } catch (IOException | RuntimeException e) {
            // no results.json, or not ours: nothing more to say
        }
        return "";
    }

    /** This run's id, recorded in every file it writes that can hold one. */
    String runId() {
        return runId;
    }

    /** Where this run writes until {@link #commit}. */
    Path dir() {
        return partial;
    }

    /** The final folder. */
    Path out() {
        return out;
    }

    /**
     * Swaps the run's folder in as {@code --out}: the old folder is renamed aside, the new one renamed into its place
     * (one rename each), then the old one and the leftovers of killed runs are deleted.
     */
    void commit() throws IOException {
        Path old = null;
        if (Files.exists(out)) {
            old = out.resolveSibling("." + out.getFileName() + ".old-" + runId);
            Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
        }
        KillPoint.reach("commit");
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        if (old != null) {
            ParamStore.deleteTree(old);
        }
        cleanLeftovers();
    }

    /** Deletes partial and replaced folders that killed runs left beside {@code --out} (we hold the lock). */
    private void cleanLeftovers() throws IOException {
        String name = out.getFileName().toString();
        try (Stream<Path> s = Files.list(out.getParent())) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + name + ".partial-") || n.startsWith("." + name + ".old-")) {
                    log.info("--out {}: deleting {}, left by a run that did not finish", out, p.getFileName());
                    ParamStore.deleteTree(p);
                }
            }
        }
    }

    /** Releases the lock; a run that did not commit keeps its partial folder only if it holds checkpoints. */
    @Override
    public void close() throws IOException {
        try {
            if (!committed && Files.isDirectory(partial)) {
                if (Files.isDirectory(partial.resolve("checkpoints"))) {
                    log.warn("the run did not finish; its checkpoints are in {} (resume with --resume {})",
                            partial.resolve("checkpoints"), partial.resolve("checkpoints"));
                } else {
                    ParamStore.deleteTree(partial);
                }
            }
        } finally {
            String content = Files.exists(lock) ? Files.readString(lock, StandardCharsets.UTF_8) : "";
            if (content.contains("run=" + runId + "\n")) {
                Files.deleteIfExists(lock);
            }
        }
    }
}
