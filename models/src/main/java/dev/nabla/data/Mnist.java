package dev.nabla.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MNIST digits, read from the four IDX files in {@code <dataDir>/mnist/}, each gzipped ({@code .gz}, as the
 * mirrors serve them) or plain. The last {@value #VALIDATION_SIZE} training images are held out as the
 * validation set, so the splits hold 50,000 / 10,000 / 10,000 images. Pixels are scaled from 0..255 to [0, 1].
 *
 * <p>Every file is read to its end and checked: magic numbers, 28x28 images, equal image and label counts,
 * labels 0..9 (of the images kept), nothing missing and nothing extra. Errors name the file and what was
 * wrong with it.
 */
public record Mnist(Split train, Split val, Split test) {
    /** Pixels per image, 28 x 28. */
    public static final int PIXELS = IdxFile.SIDE * IdxFile.SIDE;
    /** Digit classes, 0 to 9. */
    public static final int CLASSES = 10;
    /** Training images held out, from the end of the training file, as the validation set. */
    public static final int VALIDATION_SIZE = 10_000;

    private static final String HOW_TO_GET = "download the four files with dev.nabla.data.MnistDownloader (it tries "
            + "the public mirrors and checks each MD5), or point --data-dir or " + DataDir.ENV
            + " at a folder whose mnist/ subfolder holds them";

    /**
     * One split: {@code count()} images of {@value Mnist#PIXELS} floats in [0, 1], each row-major, stored one after
     * another, and their labels 0..9 (image i has label i).
     */
    public record Split(float[] images, int[] labels) {
        /** Checks that there are {@value Mnist#PIXELS} pixels per label. */
        public Split {
            if (images.length != (long) labels.length * PIXELS) {
                throw new IllegalArgumentException("Mnist.Split: " + labels.length + " labels need "
                        + (long) labels.length * PIXELS + " pixels but there are " + images.length);
            }
        }

        /** Number of images. */
        public int count() {
            return labels.length;
        }
    }

    /** Loads all of MNIST from {@code <dataDir>/mnist/}. */
    public static Mnist load(Path dataDir) throws IOException {
        return load(dataDir, Integer.MAX_VALUE);
    }

    /**
     * Loads the first {@code limitPerSplit} images of each split (all of a smaller split) for quick experiments
     * and tests. The files are still read through once and checked whole; only the kept images are converted.
     */
    public static Mnist load(Path dataDir, int limitPerSplit) throws IOException {
        if (limitPerSplit < 0) {
            throw new IllegalArgumentException("Mnist.load: limitPerSplit must be >= 0 but is " + limitPerSplit);
        }
        Path folder = dataDir.resolve(MnistFile.FOLDER);
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no MNIST folder here; " + HOW_TO_GET);
        }
        List<Split> training = readPair(folder, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, limitPerSplit, true);
        List<Split> test = readPair(folder, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, limitPerSplit, false);
        return new Mnist(training.get(0), training.get(1), test.get(0));
    }

    /**
     * Reads an images file and its labels file into splits: the whole file, or (for the training pair) all but
     * the last {@value #VALIDATION_SIZE} and then those, keeping the first {@code limit} of each.
     */
    private static List<Split> readPair(Path folder, MnistFile imagesName, MnistFile labelsName, int limit,
                                        boolean holdOutValidation) throws IOException {
        Path imagesFile = locate(folder, imagesName);
        Path labelsFile = locate(folder, labelsName);
        try (IdxFile images = IdxFile.images(imagesFile); IdxFile labels = IdxFile.labels(labelsFile)) {
            int count = images.count;
            if (labels.count != count) {
                throw new IOException(imagesFile + " holds " + count + " images but " + labelsFile + " holds "
                        + labels.count + " labels; the two must match");
            }
            if (holdOutValidation && count <= VALIDATION_SIZE) {
                throw new IOException(imagesFile + " holds " + count + " images, too few to hold out the last "
                        + VALIDATION_SIZE + " for validation");
            }
            int[] parts = holdOutValidation ? new int[] {count - VALIDATION_SIZE, VALIDATION_SIZE} : new int[] {count};
            List<Split> splits = new ArrayList<>();
            int start = 0;
            for (int part : parts) {
                int kept = Math.min(limit, part);
                float[] pixels = scaled(images.read(kept));
                int[] digits = checkedLabels(labels.read(kept), labelsFile, start);
                images.skip(part - kept);
                labels.skip(part - kept);
                splits.add(new Split(pixels, digits));
                start += part;
            }
            images.expectEnd();
            labels.expectEnd();
            return splits;
        }
    }

    /** The file for {@code name}: the plain one if present (no decompressing), else the gzipped one. */
    private static Path locate(Path folder, MnistFile name) throws NoSuchFileException {
        Path plain = folder.resolve(name.idxName);
        Path gzipped = folder.resolve(name.gzName());
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (Files.isRegularFile(gzipped)) {
            return gzipped;
        }
        throw new NoSuchFileException(gzipped.toString(), null, "MNIST file missing: looked for "
                + gzipped.getFileName() + " and " + plain.getFileName() + " in " + folder + "; " + HOW_TO_GET);
    }

    private static float[] scaled(byte[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = Byte.toUnsignedInt(pixels[i]) / 255f;
        }
        return out;
    }

    private static int[] checkedLabels(byte[] raw, Path file, int firstIndex) throws IOException {
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = Byte.toUnsignedInt(raw[i]);
            if (out[i] >= CLASSES) {
                throw new IOException(file + ": label " + out[i] + " of image " + (firstIndex + i)
                        + " is not a digit 0..9");
            }
        }
        return out;
    }
}
