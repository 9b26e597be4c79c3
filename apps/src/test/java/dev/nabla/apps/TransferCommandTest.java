package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A one-epoch {@code nabla transfer --mode freeze} on a few real images writes every output; missing data is named. */
class TransferCommandTest {
    /** A data folder with the real pretrained network and links to {@code perClass} real images per class and split. */
    private static Path smallDataDir(Path root, int perClass) throws IOException {
        Files.createSymbolicLink(Files.createDirectories(root).resolve("onnx"), TestData.dir().resolve("onnx"));
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("ants", "bees")) {
                Path dir = Files.createDirectories(root.resolve("hymenoptera_data").resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(TestData.dir().resolve("hymenoptera_data").resolve(split)
                        .resolve(cls))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(perClass).toList()) {
                        Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
                    }
                }
            }
        }
        return root;
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Nabla.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void aShortFrozenRunWritesResultsReportPlotsAndTheGrid(@TempDir Path tmp) throws IOException {
        Path data = smallDataDir(tmp.resolve("data"), 3);
        Path out = tmp.resolve("out");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Path exported = tmp.resolve("ants-bees.onnx");
        int status = run(stdout, stderr, "transfer", "--backend", "cpu", "--data-dir", data.toString(), "--mode",
                "freeze", "--epochs", "1", "--out", out.toString(), "--export", exported.toString());
        assertEquals(0, status, stderr.toString());
        // The trained network, written as ONNX, imports back as a 2-class classifier.
        assertEquals(2, dev.nabla.models.MobileNetV2.load(exported, dev.nabla.Backends.get("cpu"),
                dev.nabla.DType.FLOAT32).classes());
        for (String f : List.of("results.json", "report.md", "freeze/loss.png", "freeze/accuracy.png",
                "freeze/predictions.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode freeze = json.path("scenarios").path("freeze");
        assertEquals(1, freeze.path("history").size());
        assertEquals(6, freeze.path("val_predictions").size());
        assertEquals(freeze.path("best_val_acc").asDouble(), freeze.path("restored_val_acc").asDouble(), 1e-12);
        assertTrue(stdout.toString().contains("freeze   best val acc"), stdout.toString());
        assertTrue(Files.readString(out.resolve("report.md")).contains("| freeze |"));
    }

    @Test
    void missingDataIsNamed(@TempDir Path tmp) {
        StringWriter stderr = new StringWriter();
        int status = run(new StringWriter(), stderr, "transfer", "--backend", "cpu", "--data-dir", tmp.toString(),
                "--epochs", "1", "--out", tmp.resolve("out").toString());
        assertEquals(2, status);
        assertTrue(stderr.toString().contains("hymenoptera_data"), stderr.toString());
    }
}
