package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.io.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A short real run of {@code nabla digits}: it trains, evaluates on the full test set and writes every output. */
class DigitsCommandTest {
    @Test
    void shortMlpRunWritesResultsReportPlotsAndModel(@TempDir Path out) throws Exception {
        CommandLine cl = Nabla.commandLine();
        StringWriter stdout = new StringWriter();
        cl.setOut(new PrintWriter(stdout));
        int status = cl.execute("digits", "--model", "mlp", "--epochs", "1", "--train-limit", "5000",
                "--backend", "cpu", "--no-download", "--data-dir", TestData.dir().toString(), "--out", out.toString());
        assertEquals(0, status, stdout.toString());
        assertTrue(stdout.toString().contains("test_acc"), stdout.toString());

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("cpu", results.get("backend").asText());
        assertEquals(1, results.get("configurations").size());
        JsonNode chosen = results.get("chosen");
        assertEquals(10_000, results.get("test_images").asInt());
        assertTrue(chosen.get("test_acc").asDouble() > 0.85, chosen.toString());
        assertTrue(chosen.get("val_acc").asDouble() > 0.85, chosen.toString());
        assertEquals(1000, chosen.get("params").get("hidden").asInt());
        assertTrue(Files.readString(out.resolve("report.md")).contains("test accuracy"));
        for (String png : new String[] {"loss.png", "accuracy.png"}) {
            byte[] head = Files.readAllBytes(out.resolve(png));
            assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', png);
        }
        assertTrue(Files.isRegularFile(out.resolve("model/fc1.weight.npy")));
    }

    @Test
    void missingDataWithoutDownloadFailsClearly(@TempDir Path empty) {
        CommandLine cl = Nabla.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int status = cl.execute("digits", "--no-download", "--data-dir", empty.toString(), "--out",
                empty.resolve("out").toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains(empty.resolve("mnist").toString()), err.toString());
    }
}
