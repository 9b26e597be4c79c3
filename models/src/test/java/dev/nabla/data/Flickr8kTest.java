package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flickr8k folder, its splits and captions, and the MobileNetV2 feature cache. */
class Flickr8kTest {
    @Test
    void readsTheSplitsAndFiveCaptionsPerImage() throws IOException {
        Flickr8k f = Flickr8k.open(TestData.dir());
        assertEquals(4072, f.split("train").size());
        assertEquals(698, f.split("dev").size());
        List<String> test = f.split("test");
        assertEquals(1000, test.size());
        assertEquals(5, f.captions(test.get(0)).size());
        assertThrows(IllegalArgumentException.class, () -> f.split("val"));
    }

    @Test
    void aMissingFolderIsNamed(@TempDir Path empty) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Flickr8k.open(empty));
        assertTrue(e.getMessage().contains("captions.tsv"), e.getMessage());
    }

    @Test
    void captionsThatAreNotUtf8AreNamedByFileAndLine(@TempDir Path data) throws IOException {
        Path tsv = Files.createDirectories(data.resolve(Flickr8k.DIR)).resolve("captions.tsv");
        Files.write(tsv, "image\tindex\tcaption\na.jpg\t0\tA dog .\nb.jpg\t0\tA caf\u00e9 .\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> Flickr8k.open(data));
        assertEquals(tsv + ":3: not valid UTF-8: byte 0xe9 at byte 14 of the line (save the file as UTF-8)",
                e.getMessage());
        Files.writeString(tsv, "image\tindex\tcaption\na.jpg\t0\n");
        assertEquals(tsv + ":2: expected 3 tab-separated fields, got 2",
                assertThrows(IOException.class, () -> Flickr8k.open(data)).getMessage());
    }

    @Test
    void computesFeaturesOnceThenReusesTheCache(@TempDir Path cache) throws IOException {
        Backend be = Backends.get("cpu");
        Flickr8k f = Flickr8k.open(TestData.dir());
        Vocabulary vocab = Vocabulary.build(f.captionsOf(f.split("train")), 5);
        Path entry = cache.resolve("flickr8k/test-first3_mobilenet_v2_pool.features.npy");
        CaptionData d = f.load("test", 3, vocab, 16, TestData.dir(), cache, be);
        assertEquals(3, d.imageCount());
        assertEquals(1280, d.featureDim());
        assertEquals(f.split("test").subList(0, 3), d.images());
        assertTrue(Files.isRegularFile(entry));
        assertEquals(d.images(), Files.readAllLines(cache.resolve("flickr8k/test-first3_mobilenet_v2_pool.images.txt")));
        for (float x : d.features()) {
            assertTrue(x >= 0 && x <= 6, "a pooled ReLU6 activation: " + x);
        }
        // Valid: read back as is, nothing recomputed.
        long stamp = Files.getLastModifiedTime(entry).toMillis();
        assertArrayEquals(d.features(), f.load("test", 3, vocab, 16, TestData.dir(), cache, be).features());
        assertEquals(stamp, Files.getLastModifiedTime(entry).toMillis());
        // An entry for other images is not valid for these.
        assertNull(ImageFeatures.readIfValid(entry, cache.resolve("flickr8k/test-first3_mobilenet_v2_pool.images.txt"),
                f.split("test").subList(1, 4)));
        // Every caption of at most 16 words is encoded; every caption is a reference.
        assertEquals(15, d.references().stream().mapToInt(List::size).sum());
        assertTrue(d.captions().length <= 15 && d.captions().length >= 10, "captions " + d.captions().length);
    }

    @Test
    void anUndecodableImageIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.jpg"), "not a jpeg");
        IOException e = assertThrows(IOException.class, () -> ImageFeatures.compute(dir, List.of("bad.jpg"),
                TestData.dir().resolve(ImageFeatures.MODEL), Backends.get("cpu")));
        assertTrue(e.getMessage().contains("bad.jpg"), e.getMessage());
    }
}
