package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    /** The whole real data set, loaded once for the tests that compare against it. */
    private static Mnist full;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void loadTheRealDataOnce() throws IOException {
        long start = System.nanoTime();
        full = Mnist.load(TestData.dir());
        System.out.printf("Mnist.load of all 70,000 images took %.0f ms%n", (System.nanoTime() - start) / 1e6);
    }

    @AfterAll
    static void releaseIt() {
        full = null; // 220 MB that later test classes in this JVM may need
    }

    // ---- the real files --------------------------------------------------------------------------------------

    @Test
    void splitsAre50000Then10000Then10000() {
        assertEquals(50_000, full.train().count());
        assertEquals(10_000, full.val().count());
        assertEquals(10_000, full.test().count());
        assertEquals(50_000 * Mnist.PIXELS, full.train().images().length);
    }

    @Test
    void labelsMatchTheReadme() {
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(full.train().labels(), 10));
        int[] training = histogram(full.train().labels());
        int[] val = histogram(full.val().labels());
        for (int d = 0; d < 10; d++) {
            training[d] += val[d];
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, training);
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, histogram(full.test().labels()));
        // Validation is the end of the training file: its first label is image 50,000's (computed with numpy).
        assertArrayEquals(new int[] {4932, 5678, 4968, 5101, 4859, 4506, 4951, 5175, 4842, 4988},
                histogram(full.train().labels()));
        assertEquals(3, full.val().labels()[0]);
        assertEquals(8, full.val().labels()[9_999]);
    }

    @Test
    void pixelsAreScaledToTheUnitIntervalFromTheRightOffsets() {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float p : full.test().images()) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Sums of the raw bytes of images at each split's edges, computed with numpy from the same files.
        assertEquals(27525, rawSum(full.train(), 0));
        assertEquals(26846, rawSum(full.train(), 49_999));
        assertEquals(22386, rawSum(full.val(), 0));
        assertEquals(20920, rawSum(full.val(), 9_999));
        assertEquals(18454, rawSum(full.test(), 0));
        assertEquals(41833, rawSum(full.test(), 9_999));
    }

    @Test
    void limitedLoadKeepsTheFirstImagesOfEachSplit() throws IOException {
        long start = System.nanoTime();
        Mnist some = Mnist.load(TestData.dir(), 100);
        System.out.printf("Mnist.load(dir, 100) took %.0f ms%n", (System.nanoTime() - start) / 1e6);
        for (Mnist.Split[] pair : new Mnist.Split[][] {{some.train(), full.train()}, {some.val(), full.val()},
                {some.test(), full.test()}}) {
            assertEquals(100, pair[0].count());
            assertArrayEquals(Arrays.copyOf(pair[1].labels(), 100), pair[0].labels());
            assertArrayEquals(Arrays.copyOf(pair[1].images(), 100 * Mnist.PIXELS), pair[0].images());
        }
    }

    @Test
    void readsUncompressedFilesToo() throws IOException {
        Path real = TestData.file("mnist");
        Path mnist = Files.createDirectories(dataDir.resolve("mnist"));
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"}) {
            Files.copy(real.resolve(name + ".gz"), mnist.resolve(name + ".gz"));
        }
        for (String name : new String[] {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(real.resolve(name + ".gz")))) {
                Files.copy(in, mnist.resolve(name));
            }
        }
        Mnist some = Mnist.load(dataDir, 10);
        assertArrayEquals(Arrays.copyOf(full.test().images(), 10 * Mnist.PIXELS), some.test().images());
        assertArrayEquals(Arrays.copyOf(full.test().labels(), 10), some.test().labels());
    }

    // ---- small made-up files, for exact values and every error ---------------------------------------------

    @Test
    void smallestValidFilesGiveOneTrainingImage() throws IOException {
        writeValidSet();
        Mnist m = Mnist.load(dataDir);
        assertEquals(1, m.train().count());
        assertEquals(10_000, m.val().count());
        assertEquals(3, m.test().count());
        assertEquals(1f, m.train().images()[0]);
        assertEquals(0.2f, m.train().images()[1]);
        assertEquals(0f, m.train().images()[2]);
        assertArrayEquals(new int[] {0, 1, 2}, m.test().labels());
        assertEquals(1, m.val().labels()[0]);
    }

    @Test
    void missingFolderSaysWhereItLookedAndHowToGetTheData() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dataDir));
        assertMentions(e, dataDir.resolve("mnist").toString(), "MnistDownloader");
    }

    @Test
    void missingFileSaysWhereItLookedAndHowToGetTheData() throws IOException {
        writeValidSet();
        Files.delete(file("t10k-labels-idx1-ubyte"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dataDir));
        assertMentions(e, "t10k-labels-idx1-ubyte.gz and t10k-labels-idx1-ubyte", dataDir.resolve("mnist").toString(),
                "MnistDownloader");
    }

    @Test
    void wrongMagicNumbers() throws IOException {
        writeValidSet();
        Files.write(file("t10k-images-idx3-ubyte"), idx(2049, 3, new int[0], 3));
        assertLoadFails("t10k-images-idx3-ubyte", "magic number 2049", "has 2051", "swapped");
        Files.write(file("t10k-images-idx3-ubyte"), gzip(idx(2051, 3, new int[] {28, 28}, 3 * 784)));
        assertLoadFails("t10k-images-idx3-ubyte", "gzipped");
        Files.write(file("t10k-images-idx3-ubyte"), idx(2051, 3, new int[] {28, 28}, 3 * 784));
        Files.write(file("train-images-idx3-ubyte.gz"), idx(2051, 10_001, new int[] {28, 28}, 10_001 * 784));
        assertLoadFails("train-images-idx3-ubyte.gz", "not a valid gzip file");
        writeValidSet();
        Files.write(file("t10k-labels-idx1-ubyte"), idx(1234, 3, new int[0], 3));
        assertLoadFails("t10k-labels-idx1-ubyte", "magic number 1234", "has 2049");
    }

    @Test
    void imagesThatAreNot28By28() throws IOException {
        writeValidSet();
        Files.write(file("t10k-images-idx3-ubyte"), idx(2051, 3, new int[] {27, 28}, 3 * 27 * 28));
        assertLoadFails("t10k-images-idx3-ubyte", "27x28", "28x28");
    }

    @Test
    void countsThatDiffer() throws IOException {
        writeValidSet();
        Files.write(file("t10k-labels-idx1-ubyte"), idx(2049, 4, new int[0], 4));
        assertLoadFails("t10k-images-idx3-ubyte", "3 images", "4 labels", "t10k-labels-idx1-ubyte");
    }

    @Test
    void truncatedFiles() throws IOException {
        writeValidSet();
        Files.write(file("t10k-images-idx3-ubyte"), idx(2051, 3, new int[] {28, 28}, 1000));
        assertLoadFails("t10k-images-idx3-ubyte", "truncated", "3 images (2352 bytes", "ends after 1000 bytes");
        Files.write(file("t10k-images-idx3-ubyte"), Arrays.copyOf(idx(2051, 3, new int[] {28, 28}, 0), 12));
        assertLoadFails("t10k-images-idx3-ubyte", "truncated", "header needs 16 bytes", "has 12");

        byte[] gz = Files.readAllBytes(file("train-images-idx3-ubyte.gz"));
        Files.write(file("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertLoadFails("train-images-idx3-ubyte.gz", "truncated");
    }

    @Test
    void aZeroByteGzipFileIsNamedAsEmpty() throws IOException {
        writeValidSet();
        Files.write(file("train-images-idx3-ubyte.gz"), new byte[0]);
        assertLoadFails("train-images-idx3-ubyte.gz", "empty (0 bytes), not a gzip file; download it again");
        Files.write(file("train-images-idx3-ubyte.gz"), Arrays.copyOf(gzip(new byte[16]), 5));
        assertLoadFails("train-images-idx3-ubyte.gz", "truncated: the file ends inside the gzip header (5 bytes)");
    }

    @Test
    void headersClaimingMoreThanTheFileHoldsFailBeforeAnythingIsAllocated() throws IOException {
        writeValidSet();
        // 3,000,000 images are 2,352,000,000 bytes: more than an int counts, far more than the file's 1,016.
        Files.write(file("t10k-images-idx3-ubyte"), idx(2051, 3_000_000, new int[] {28, 28}, 1000));
        Files.write(file("t10k-labels-idx1-ubyte"), idx(2049, 3_000_000, new int[0], 1000));
        assertLoadFails("t10k-images-idx3-ubyte", "truncated: the header announces 3000000 images (2352000000 bytes"
                + " of data) but the data ends after 1000 bytes");
        // Gzipped, the bound is deflate's ratio: 2,500,000 images (1.96 GB) cannot come out of a few dozen bytes.
        writeValidSet();
        Files.write(file("train-images-idx3-ubyte.gz"), gzip(idx(2051, 2_500_000, new int[] {28, 28}, 1000)));
        Files.write(file("train-labels-idx1-ubyte.gz"), gzip(idx(2049, 2_500_000, new int[0], 1000)));
        assertLoadFails("train-images-idx3-ubyte.gz", "truncated or the header is damaged: the header announces 2500000"
                + " images (1960000000 bytes of data) but a gzip file of ", " bytes unpacks to at most ");
        Files.write(file("train-images-idx3-ubyte.gz"), gzip(idx(2051, 10_001, new int[] {28, 28}, 1000)));
        Files.write(file("train-labels-idx1-ubyte.gz"), gzip(idx(2049, 10_001, new int[0], 10_001)));
        assertLoadFails("train-images-idx3-ubyte.gz", "truncated");
    }

    @Test
    void extraDataAfterTheAnnouncedItems() throws IOException {
        writeValidSet();
        Files.write(file("t10k-labels-idx1-ubyte"), idx(2049, 3, new int[0], 4));
        assertLoadFails("t10k-labels-idx1-ubyte", "more data follows the 3 labels");
    }

    @Test
    void labelsThatAreNotDigits() throws IOException {
        writeValidSet();
        byte[] labels = idx(2049, 3, new int[0], 3);
        labels[8 + 2] = 12;
        Files.write(file("t10k-labels-idx1-ubyte"), labels);
        assertLoadFails("t10k-labels-idx1-ubyte", "label 12 of image 2");
    }

    @Test
    void tooFewTrainingImagesToHoldOutValidation() throws IOException {
        writeValidSet();
        Files.write(file("train-images-idx3-ubyte.gz"), gzip(idx(2051, 10_000, new int[] {28, 28}, 10_000 * 784)));
        Files.write(file("train-labels-idx1-ubyte.gz"), gzip(idx(2049, 10_000, new int[0], 10_000)));
        assertLoadFails("train-images-idx3-ubyte.gz", "10000 images, too few");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /**
     * The smallest valid set: 10,001 gzipped training images (the first one's pixels 255, 51, 0...; labels
     * i % 10) and 3 plain test images (labels 0, 1, 2).
     */
    private void writeValidSet() throws IOException {
        Files.createDirectories(dataDir.resolve("mnist"));
        byte[] trainImages = idx(2051, 10_001, new int[] {28, 28}, 10_001 * 784);
        trainImages[16] = (byte) 255;
        trainImages[17] = 51;
        byte[] trainLabels = idx(2049, 10_001, new int[0], 10_001);
        for (int i = 0; i < 10_001; i++) {
            trainLabels[8 + i] = (byte) (i % 10);
        }
        Files.write(file("train-images-idx3-ubyte.gz"), gzip(trainImages));
        Files.write(file("train-labels-idx1-ubyte.gz"), gzip(trainLabels));
        Files.write(file("t10k-images-idx3-ubyte"), idx(2051, 3, new int[] {28, 28}, 3 * 784));
        byte[] testLabels = idx(2049, 3, new int[0], 3);
        testLabels[9] = 1;
        testLabels[10] = 2;
        Files.write(file("t10k-labels-idx1-ubyte"), testLabels);
    }

    /** An IDX file: big-endian magic, count and dimensions, then {@code dataBytes} zero bytes. */
    private static byte[] idx(int magic, int count, int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * dims.length + dataBytes).putInt(magic).putInt(count);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        }
        return buffer.toByteArray();
    }

    private Path file(String name) {
        return dataDir.resolve("mnist").resolve(name);
    }

    private void assertLoadFails(String fileName, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> Mnist.load(dataDir));
        assertMentions(e, file(fileName).toString());
        assertMentions(e, fragments);
    }

    private static void assertMentions(Exception e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
    }

    private static int[] histogram(int[] labels) {
        int[] counts = new int[10];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    private static long rawSum(Mnist.Split split, int image) {
        double sum = 0;
        for (int i = image * Mnist.PIXELS; i < (image + 1) * Mnist.PIXELS; i++) {
            sum += split.images()[i] * 255.0;
        }
        return Math.round(sum);
    }
}
