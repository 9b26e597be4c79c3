package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Shape;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader over 10 tiny images with a stand-in transform whose output names the file and shows its random
 * draw, so order, completeness and seeding can be checked without decoding cost; then one real batch.
 */
class BatchLoaderTest {
    @TempDir
    static Path root;
    static ImageFolder folder;

    @BeforeAll
    static void tenImages() throws IOException {
        for (int i = 0; i < 10; i++) {
            ImageFolderTest.image(root.resolve((i < 4 ? "a" : "b") + "/" + i + ".png"), "png");
        }
        folder = ImageFolder.scan(root);
    }

    /** Sample shape (2): the file's number, then the sample's first random draw. */
    private static float[] stand(Path file, java.util.Random rnd) {
        return new float[] {number(file), rnd.nextFloat()};
    }

    private static int number(Path file) {
        return Integer.parseInt(file.getFileName().toString().replace(".png", ""));
    }

    private static BatchLoader loader(BatchLoader.SampleTransform t, int batch, boolean shuffle, long seed) {
        return new BatchLoader(folder, new int[] {2}, t, batch, shuffle, seed, 3, 2);
    }

    private static List<BatchLoader.Batch> all(BatchLoader l, int epoch) {
        List<BatchLoader.Batch> out = new ArrayList<>();
        l.epoch(epoch).forEach(out::add);
        return out;
    }

    @Test
    void everySampleOnceAnEpochWithAPartialLastBatchAndConsistentFields() {
        try (BatchLoader l = loader(BatchLoaderTest::stand, 4, true, 3)) {
            assertEquals(3, l.batchesPerEpoch());
            for (int epoch = 0; epoch < 3; epoch++) {
                List<BatchLoader.Batch> batches = all(l, epoch);
                assertEquals(List.of(4, 4, 2), batches.stream().map(BatchLoader.Batch::size).toList());
                Set<Integer> seen = new HashSet<>();
                for (BatchLoader.Batch b : batches) {
                    assertEquals(Shape.of(b.size(), 2), b.shape());
                    for (int i = 0; i < b.size(); i++) {
                        int n = number(b.paths().get(i));
                        assertTrue(seen.add(n), "sample " + n + " twice in epoch " + epoch);
                        assertEquals(n, (int) b.x()[2 * i], "values in the path's slot");
                        assertEquals(n < 4 ? 0 : 1, b.labels()[i], "label of " + n);
                    }
                }
                assertEquals(10, seen.size());
            }
        }
    }

    @Test
    void theSeedFixesOrderAndAugmentationAndEpochsDiffer() {
        try (BatchLoader a = loader(BatchLoaderTest::stand, 4, true, 11);
             BatchLoader b = new BatchLoader(folder, new int[] {2}, BatchLoaderTest::stand, 4, true, 11, 1, 1);
             BatchLoader c = loader(BatchLoaderTest::stand, 4, true, 12)) {
            float[] a0 = flat(all(a, 0));
            assertArrayEquals(a0, flat(all(b, 0)), "same seed, other thread count");
            assertArrayEquals(a0, flat(all(a, 0)), "the same epoch again");
            assertFalse(java.util.Arrays.equals(a.order(0), a.order(1)), "a new permutation each epoch");
            assertFalse(java.util.Arrays.equals(a.order(0), c.order(0)), "another seed, another order");
        }
    }

    @Test
    void evaluationKeepsTheFoldersOrder() {
        try (BatchLoader l = loader(BatchLoaderTest::stand, 3, false, 0)) {
            List<Path> paths = new ArrayList<>();
            all(l, 5).forEach(b -> paths.addAll(b.paths()));
            assertEquals(folder.samples().stream().map(ImageFolder.Sample::path).toList(), paths);
        }
    }

    @Test
    void aFailingSampleReachesTheConsumerNamingItsFile() {
        RuntimeException boom = new IllegalStateException("boom");
        try (BatchLoader l = loader((f, r) -> {
            if (number(f) == 7) {
                throw boom;
            }
            return stand(f, r);
        }, 4, true, 1)) {
            BatchLoader.LoadException e = assertThrows(BatchLoader.LoadException.class, () -> all(l, 0));
            assertEquals("7.png", e.path().getFileName().toString());
            assertTrue(e.getMessage().contains(e.path().toString()) && e.getMessage().contains("boom"), e.getMessage());
            assertSame(boom, e.getCause());
            // The loader is still usable: a new epoch starts afresh (and fails again on the same file).
            assertThrows(BatchLoader.LoadException.class, () -> all(l, 1));
        }
    }

    @Test
    void anUndecodableFileIsLeftOutOfItsBatchAndTheRestArrives() {
        try (BatchLoader l = loader((f, r) -> {
            if (number(f) == 2) {
                throw new IOException(f + ": cannot decode the image (truncated)");
            }
            return stand(f, r);
        }, 4, false, 0)) {
            List<BatchLoader.Batch> batches = all(l, 0);
            // File 2 sits in the first batch, which shrinks by one; the others are untouched.
            assertEquals(List.of(3, 4, 2), batches.stream().map(BatchLoader.Batch::size).toList());
            assertEquals(List.of(0, 1, 3), batches.get(0).paths().stream().map(BatchLoaderTest::number).toList());
            assertArrayEquals(new float[] {0, 1, 3},
                    new float[] {batches.get(0).x()[0], batches.get(0).x()[2], batches.get(0).x()[4]});
            assertEquals(6, batches.get(0).x().length);
        }
    }

    @Test
    void closingStopsTheDaemonThreadsAndLaterUseIsAnError() {
        BatchLoader l = loader(BatchLoaderTest::stand, 4, true, 0);
        all(l, 0);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("nabla-batch-loader-")).allMatch(Thread::isDaemon));
        l.close();
        assertThrows(IllegalStateException.class, () -> l.epoch(1).iterator());
    }

    @Test
    void aRealTrainingBatchHasTheNetworksInputShape() throws IOException {
        ImagePreprocessing prep = dev.nabla.models.MobileNetV2.PREPROCESSING;
        ImageFolder val = ImageFolder.scan(TestData.file("hymenoptera_data/val"));
        try (BatchLoader l = BatchLoader.training(val, prep, 4, 0)) {
            BatchLoader.Batch b = l.epoch(0).iterator().next();
            assertEquals(Shape.of(4, 3, 224, 224), b.shape());
            assertEquals(4 * 3 * 224 * 224, b.x().length);
            for (float v : b.x()) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 3, "normalised value " + v);
            }
        }
    }

    private static float[] flat(List<BatchLoader.Batch> batches) {
        int n = batches.stream().mapToInt(b -> b.x().length).sum();
        float[] out = new float[n];
        int at = 0;
        for (BatchLoader.Batch b : batches) {
            System.arraycopy(b.x(), 0, out, at, b.x().length);
            at += b.x().length;
        }
        return out;
    }
}
