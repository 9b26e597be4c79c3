package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backends;
import dev.nabla.Tensor;
import dev.nabla.train.Solver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact resume: a digits run killed with SIGKILL after epoch 1 (in a child process) and resumed from its checkpoint
 * ends with the same weights, buffers, loss history and accuracies, bit for bit, as the run that was never stopped,
 * on every backend: the batch-norm CNN (buffers, dropout masks, augmentation) and the course's CNN (Adam's moments,
 * the weight average).
 */
class ResumeTest {
    static Stream<String[]> cases() {
        List<String[]> out = new ArrayList<>();
        for (String be : Backends.available()) {
            out.add(new String[] {be, "BN_CNN"});
            out.add(new String[] {be, "CNN"});
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aRunKilledAfterEpochOneAndResumedEqualsTheRunNeverStopped(String backend, String kind, @TempDir Path tmp)
            throws Exception {
        ResumeRun whole = new ResumeRun(backend, DigitModels.Kind.valueOf(kind), tmp.resolve("whole"));
        whole.solver.train();

        Path dir = tmp.resolve("killed");
        killAfterEpoch(1, backend, kind, dir);
        assertTrue(Files.isDirectory(dir.resolve("epoch_001")), "the child wrote epoch 1's checkpoint");
        ResumeRun resumed = new ResumeRun(backend, DigitModels.Kind.valueOf(kind), dir);
        assertEquals(1, resumed.solver.resume(dir, false));
        resumed.solver.train();

        assertEquals(whole.solver.lossHistory(), resumed.solver.lossHistory());
        assertEquals(accuracies(whole.solver), accuracies(resumed.solver));
        assertEquals(whole.solver.bestEpoch(), resumed.solver.bestEpoch());
        for (Map.Entry<String, Tensor> e : whole.model.state().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), resumed.model.state().get(e.getKey()).toFloatArray(), 0f,
                    e.getKey());
        }
        assertEquals(whole.model.counters(), resumed.model.counters());
    }

    private static List<String> accuracies(Solver s) {
        return s.epochs().stream().map(e -> e.epoch() + ":" + e.loss() + "/" + e.trainAcc() + "/" + e.valAcc()
                + "/" + e.learningRate()).toList();
    }

    /** Runs {@link ResumeRun#main} in a child JVM and kills it with SIGKILL once it has finished epoch {@code epoch}. */
    private static void killAfterEpoch(int epoch, String backend, String kind, Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx2g", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), ResumeRun.class.getName(), backend, kind, dir.toString(),
                Integer.toString(epoch)).redirectErrorStream(true);
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            StringBuilder log = new StringBuilder();
            while ((line = out.readLine()) != null) {
                log.append(line).append('\n');
                if (line.startsWith("PAUSED " + epoch)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    break;
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
            assertTrue(log.indexOf("PAUSED " + epoch) >= 0, "the child never reached epoch " + epoch + ":\n" + log);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void resumingWithAnotherConfigurationIsRefusedNamingWhatDiffers(@TempDir Path tmp) throws IOException {
        ResumeRun first = new ResumeRun("cpu", DigitModels.Kind.BN_CNN, tmp);
        first.solver.train();
        ResumeRun other = new ResumeRun("cpu", DigitModels.Kind.CNN, tmp);
        String msg = assertThrows(IllegalArgumentException.class, () -> other.solver.resume(tmp, false)).getMessage();
        assertTrue(msg.contains("model bn-cnn in the checkpoint, cnn now"), msg);
        IOException none = assertThrows(IOException.class, () -> other.solver.resume(tmp.resolve("nothing"), false));
        assertTrue(none.getMessage().contains("nothing"), none.getMessage());
    }

    @Test
    void aCheckpointOfANewerFormatIsRefusedWithItsVersion(@TempDir Path tmp) throws IOException {
        ResumeRun first = new ResumeRun("cpu", DigitModels.Kind.BN_CNN, tmp);
        first.solver.train();
        Path props = tmp.resolve("epoch_003/training/training.properties");
        Files.writeString(props, Files.readString(props).replace("version=2", "version=9"));
        ResumeRun again = new ResumeRun("cpu", DigitModels.Kind.BN_CNN, tmp);
        String msg = assertThrows(IOException.class, () -> again.solver.resume(tmp, false)).getMessage();
        assertTrue(msg.contains("version 9") && msg.contains("(2)"), msg);
    }
}
