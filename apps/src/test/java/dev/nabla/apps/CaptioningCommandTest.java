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

/** Short real runs of {@code nabla captioning}: every output is written and holds what it should. */
class CaptioningCommandTest {
    private static String run(String... args) {
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int status = cl.execute(args);
        assertEquals(0, status, out.toString());
        return out.toString();
    }

    private static void assertPng(Path file) throws Exception {
        byte[] head = Files.readAllBytes(file);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', file.toString());
    }

    @Test
    void shortOverfitRunWritesEveryOutput(@TempDir Path out) throws Exception {
        String stdout = run("captioning", "--overfit", "--epochs", "20", "--backend", "cpu", "--data-dir",
                TestData.dir().toString(), "--out", out.toString());
        assertTrue(stdout.contains("BLEU-4"), stdout);
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("overfit", r.get("mode").asText());
        assertEquals("rnn", r.get("cell").asText());
        assertEquals(50, r.get("train_captions").asInt());
        assertEquals(40, r.get("loss_history").size(), "2 iterations per epoch");
        assertEquals(50, r.get("captions").size());
        assertTrue(r.get("final_loss").asDouble() < r.get("loss_history").get(0).asDouble());
        assertTrue(r.get("bleu").has("bleu4"));
        assertTrue(Files.readString(out.resolve("report.md")).contains("generated"));
        String html = Files.readString(out.resolve("captions.html"));
        assertTrue(html.contains("<img src=\"http"), "the sample's images are referenced by URL");
        assertPng(out.resolve("loss.png"));
        assertTrue(Files.isRegularFile(out.resolve("model/W_vocab.npy")));
        assertTrue(Files.isRegularFile(out.resolve("model/feature_mean.npy")));
    }

    @Test
    void shortFlickrRunCaptionsTheTestImagesAndScoresBleu(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        String stdout = run("captioning", "--train-limit", "24", "--test-limit", "6", "--epochs", "2", "--hidden", "32",
                "--wordvec", "16", "--samples", "2", "--backend", "cpu", "--cache-dir", tmp.resolve("cache").toString(),
                "--data-dir", TestData.dir().toString(), "--out", out.toString());
        assertTrue(stdout.contains("flickr8k/test"), stdout);
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("lstm", r.get("cell").asText());
        assertEquals(24, r.get("train_images").asInt());
        assertEquals(6, r.get("captions").size());
        assertEquals(5, r.get("captions").get(0).get("references").size());
        assertEquals(2, r.get("dev_history").size(), "dev BLEU after each epoch");
        for (int n = 1; n <= 4; n++) {
            double b = r.get("bleu").get("bleu" + n).asDouble();
            assertTrue(b >= 0 && b <= 1, "bleu" + n + " " + b);
        }
        // Thumbnails copied next to the page, so it stands alone.
        assertTrue(Files.readString(out.resolve("captions.html")).contains("thumbs/0.jpg"));
        assertTrue(Files.size(out.resolve("thumbs/0.jpg")) > 1000);
        assertPng(out.resolve("loss.png"));
        assertTrue(Files.isRegularFile(tmp.resolve("cache/flickr8k/train-first24_mobilenet_v2_pool.features.npy")));
    }

    @Test
    void anUnknownCellFailsClearly(@TempDir Path out) {
        CommandLine cl = Nabla.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int status = cl.execute("captioning", "--overfit", "--cell", "gru", "--data-dir", TestData.dir().toString(),
                "--out", out.toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("--cell must be rnn or lstm"), err.toString());
    }
}
