package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The course's HDF5 layout, read with jHDF from the cs231n_layout_sample folder. */
class CocoCaptioningTest {
    static Path sample() {
        return TestData.file("coco_captioning/cs231n_layout_sample");
    }

    @Test
    void loadsTheSampleInTheCoursesShapes() throws IOException {
        Vocabulary vocab = CocoCaptioning.vocabulary(sample());
        assertEquals(1004, vocab.size());
        CaptionData train = CocoCaptioning.load(sample(), "train", "mobilenet_v2_pool", vocab);
        assertEquals(212, train.captions().length);
        assertEquals(17, train.captions()[0].length);
        assertEquals(46, train.imageCount());
        assertEquals(1280, train.featureDim());
        assertTrue(train.images().get(0).startsWith("http"), train.images().get(0));
        for (int[] row : train.captions()) {
            assertEquals(Vocabulary.START_ID, row[0]);
        }
        // Pooled ReLU6 activations lie in [0, 6].
        for (float f : train.features()) {
            assertTrue(f >= 0 && f <= 6, "feature " + f);
        }
        int refs = train.references().stream().mapToInt(java.util.List::size).sum();
        assertEquals(212, refs, "every caption is a reference of its image");
        CaptionData val = CocoCaptioning.load(sample(), "val", "mobilenet_v2_pool", vocab);
        assertEquals(49, val.captions().length);
        assertEquals(10, val.imageCount());
    }

    @Test
    void theSmallDataSetHasOneCaptionForEachOfFiftyImages() throws IOException {
        Vocabulary vocab = CocoCaptioning.vocabulary(sample());
        CaptionData d = CocoCaptioning.smallData(sample(), "mobilenet_v2_pool", vocab, 50);
        assertEquals(50, d.captions().length);
        assertEquals(50, d.imageCount());
        Set<String> images = new HashSet<>(d.images());
        assertEquals(50, images.size());
        assertThrows(IOException.class, () -> CocoCaptioning.smallData(sample(), "mobilenet_v2_pool", vocab, 57));
    }

    @Test
    void theCoursesDefaultFeatureFileIsNamedWhenMissing() throws IOException {
        Vocabulary vocab = CocoCaptioning.vocabulary(sample());
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> CocoCaptioning.load(sample(), "train", CocoCaptioning.COURSE_FEATURES, vocab));
        assertTrue(e.getMessage().contains("train2014_vgg16_fc7_pca.h5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CocoCaptioning.load(sample(), "test", "x", vocab));
    }

    @Test
    void filesThatAreNotHdf5OrAreCutShortAreNamed(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"coco2014_vocab.json", "train2014_urls.txt", "train2014_mobilenet_v2_pool.h5"}) {
            Files.copy(sample().resolve(f), dir.resolve(f));
        }
        Vocabulary vocab = CocoCaptioning.vocabulary(dir);
        Path captions = Files.writeString(dir.resolve("coco2014_captions.h5"), "not an HDF5 file");
        IOException e = assertThrows(IOException.class,
                () -> CocoCaptioning.load(dir, "train", "mobilenet_v2_pool", vocab));
        assertEquals(captions + ": not a readable HDF5 file (No valid HDF5 signature found)", e.getMessage());
        Files.write(captions, new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> CocoCaptioning.load(dir, "train", "mobilenet_v2_pool", vocab))
                .getMessage().startsWith(captions + ": not a readable HDF5 file ("));
        byte[] real = Files.readAllBytes(sample().resolve("coco2014_captions.h5"));
        Files.write(captions, Arrays.copyOf(real, real.length / 2));
        assertTrue(assertThrows(IOException.class, () -> CocoCaptioning.load(dir, "train", "mobilenet_v2_pool", vocab))
                .getMessage().startsWith(captions + ": "));
    }

    @Test
    void aHeaderSizeBeyondTheFileFailsNamingItInsteadOfAllocatingIt(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"coco2014_vocab.json", "train2014_urls.txt", "train2014_mobilenet_v2_pool.h5"}) {
            Files.copy(sample().resolve(f), dir.resolve(f));
        }
        Vocabulary vocab = CocoCaptioning.vocabulary(dir);
        // Found by the fuzzer: the size of the root group's object header, at byte 104 of this file, made 2 GB.
        // jHDF reading the file allocated that before reading (OutOfMemoryError in a small heap).
        byte[] damaged = Files.readAllBytes(sample().resolve("coco2014_captions.h5"));
        java.nio.ByteBuffer.wrap(damaged).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(104, 0x7ff0_0000);
        Path captions = Files.write(dir.resolve("coco2014_captions.h5"), damaged);
        com.sun.management.ThreadMXBean memory =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = memory.getCurrentThreadAllocatedBytes();
        IOException e = assertThrows(IOException.class,
                () -> CocoCaptioning.load(dir, "train", "mobilenet_v2_pool", vocab));
        long allocated = memory.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().startsWith(captions + ": not a readable HDF5 file ("), e.getMessage());
        assertTrue(allocated < 256 << 20, allocated + " bytes allocated for a 23 kB file");
    }
}
