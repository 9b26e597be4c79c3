package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.io.KillPoint;
import dev.nabla.io.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A digits run killed with SIGKILL at many points (while training, while writing each kind of output, in the middle of
 * swapping its folder in) never leaves an output folder that mixes two runs: after each kill {@code --out} holds the
 * complete old run or the complete new one (or, mid-swap, the next run finishes the swap), beside it only hidden
 * leftovers (the lock, a partial folder with resumable checkpoints), and the next run takes over the dead run's lock.
 * A second run into a folder that a live run holds fails at once, naming it; a killed run resumes from its checkpoints
 * to the results of a run never stopped.
 */
class RunsNeverMixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every named point of a run's writes, in the order it reaches them. */
    private static final List<String> POINTS = List.of("folder:epoch_001", "folder:epoch_002", "file:results.json",
            "file:loss.png", "file:accuracy.png", "file:report.md", "folder:model", "commit");

    @TempDir
    Path tmp;

    private List<String> args(Path out) {
        return List.of("digits", "--model", "mlp", "--epochs", "2", "--train-limit", "600", "--backend", "cpu",
                "--no-download", "--data-dir", TestData.dir().toString(), "--out", out.toString());
    }

    @Test
    void aRunKilledAnywhereLeavesTheOldRunOrTheNewOneAndNothingMixed() throws Exception {
        Path out = tmp.resolve("digits");
        assertEquals(0, runHere(args(out)).status, "the first, complete run");
        String first = completeRun(out);
        List<String> seen = new ArrayList<>(List.of(first));
        for (String point : POINTS) {
            killAt(point, args(out));
            checkNothingMixed(out, point, seen);
        }
        // Killed at random moments too, mostly while it trains.
        for (long ms : new long[] {300, 1200, 2500}) {
            killAfter(ms, args(out));
            checkNothingMixed(out, "after " + ms + " ms", seen);
        }
        Result last = runHere(args(out));
        assertEquals(0, last.status, last.err);
        String id = completeRun(out);
        assertFalse(seen.contains(id), "a new run id");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "the finished run cleaned up every leftover beside --out");
        }
    }

    @Test
    void aSecondRunIntoAFolderALiveRunHoldsFailsAtOnceNamingIt() throws Exception {
        Path out = tmp.resolve("busy");
        Process p = start(args(out), "folder:epoch_001");
        try {
            awaitPause(p, "folder:epoch_001");
            Result second = runChild(args(out));
            assertEquals(2, second.status, second.err);
            assertTrue(second.err.contains("--out " + out + " is in use by run ") && second.err.contains("(pid "
                    + p.pid() + ","), second.err);
        } finally {
            p.destroyForcibly().waitFor();
        }
        Result after = runChild(args(out));
        assertEquals(0, after.status, after.err);
        assertTrue(after.err.contains("no longer runs; taking over its stale lock"), after.err);
    }

    /** The command in a child JVM to its end: its exit status and everything it printed. */
    private static Result runChild(List<String> args) throws Exception {
        Process p = start(args, null);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    @Test
    void aKilledRunResumesFromItsCheckpointsToTheResultsOfARunNeverStopped() throws Exception {
        Path whole = tmp.resolve("whole");
        assertEquals(0, runHere(args(whole)).status);
        Path out = tmp.resolve("killed");
        killAt("folder:epoch_002", args(out));
        Path partial;
        try (Stream<Path> s = Files.list(tmp)) {
            partial = s.filter(p -> p.getFileName().toString().startsWith(".killed.partial-")).findFirst().orElseThrow();
        }
        assertTrue(Files.isDirectory(partial.resolve("checkpoints/mlp-h1000/epoch_001")), "epoch 1 is resumable");
        List<String> resume = new ArrayList<>(args(out));
        resume.addAll(List.of("--resume", partial.toString()));
        Result r = runHere(resume);
        assertEquals(0, r.status, r.err);
        JsonNode a = JSON.readTree(whole.resolve("results.json").toFile()).get("chosen");
        JsonNode b = JSON.readTree(out.resolve("results.json").toFile()).get("chosen");
        assertEquals(a.get("val_acc"), b.get("val_acc"));
        assertEquals(a.get("test_acc"), b.get("test_acc"));
        assertEquals(a.get("history").toString().replaceAll("\"seconds\":[^,}]+|\"imagesPerSecond\":[^,}]+", ""),
                b.get("history").toString().replaceAll("\"seconds\":[^,}]+|\"imagesPerSecond\":[^,}]+", ""));
        assertFalse(Files.exists(partial), "the killed run's partial folder is cleaned up once resumed and finished");
    }

    /** After a kill: --out is one complete run (or missing while a swap is half done), beside it only hidden leftovers. */
    private void checkNothingMixed(Path out, String point, List<String> seen) throws IOException {
        String name = out.getFileName().toString();
        try (Stream<Path> s = Files.list(out.getParent())) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                assertTrue(n.equals(name) || n.equals("." + name + ".lock") || n.startsWith("." + name + ".partial-")
                        || n.startsWith("." + name + ".old-"), "killed at " + point + ": unexpected " + p);
            }
        }
        Path current = out;
        if (!Files.exists(out)) {
            try (Stream<Path> s = Files.list(out.getParent())) {
                current = s.filter(p -> p.getFileName().toString().startsWith("." + name + ".old-")).findFirst()
                        .orElseThrow(() -> new AssertionError("killed at " + point + ": no --out and no old run"));
            }
        }
        String id = completeRun(current);
        if (!seen.contains(id)) {
            seen.add(id);
        }
    }

    /** Checks that {@code dir} holds one complete digits run, every file carrying the same run id; returns it. */
    private static String completeRun(Path dir) throws IOException {
        for (String f : List.of("results.json", "report.md", "loss.png", "accuracy.png", "model/model.json",
                "model/fc1.weight.npy", "model/fc2.bias.npy")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), dir + " lacks " + f);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), dir + " holds a temporary file");
        }
        assertFalse(Files.exists(dir.resolve("checkpoints")), dir + ": a finished run keeps no checkpoints");
        String id = JSON.readTree(dir.resolve("results.json").toFile()).get("run_id").asText();
        assertNotNull(id);
        assertEquals(id, JSON.readTree(dir.resolve("model/model.json").toFile()).get("config").get("run_id").asText());
        assertTrue(Files.readString(dir.resolve("report.md")).contains("Run " + id + "."), "report.md of run " + id);
        assertEquals(id, Pngs.runId(dir.resolve("loss.png")));
        assertEquals(id, Pngs.runId(dir.resolve("accuracy.png")));
        return id;
    }

    private record Result(int status, String err) {
    }

    private static Result runHere(List<String> args) {
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8)); // the logger's warnings go here
        try {
            int status = cl.execute(args.toArray(String[]::new));
            return new Result(status, err + log.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    /** The command in a child JVM, pausing at {@code point} (null: nowhere). */
    private static Process start(List<String> args, String point) throws IOException {
        return start(args, point, false);
    }

    private static Process start(List<String> args, String point, boolean discardOutput) throws IOException {
        // The same JVM options as the tests' own (the Vector API: the same GEMM path, so the same numbers).
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Nabla.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (discardOutput) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        if (point != null) {
            pb.environment().put(KillPoint.VARIABLE, point);
        }
        return pb.start();
    }

    private static void awaitPause(Process p, String point) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            log.append(line).append('\n');
            if (line.equals("PAUSED AT " + point)) {
                return;
            }
        }
        throw new AssertionError("the run ended without reaching " + point + ":\n" + log);
    }

    /** Runs the command in a child JVM and kills it with SIGKILL when it reaches {@code point}. */
    private static void killAt(String point, List<String> args) throws Exception {
        Process p = start(args, point);
        try {
            awaitPause(p, point);
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** Runs the command in a child JVM and kills it with SIGKILL after {@code ms} milliseconds. */
    private static void killAfter(long ms, List<String> args) throws Exception {
        Process p = start(args, null, true);
        Thread.sleep(ms);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
}
