package dev.nabla.data;

import dev.nabla.io.TextLines;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The course's {@code coco_captioning/} folder (HDF5 layout, read with the pure-Java jHDF):
 * {@code coco2014_captions.h5} (datasets {@code <split>_captions} int (N, 17) and {@code <split>_image_idxs}
 * int (N,)), {@code <split>2014_<features>.h5} (dataset {@code features}, float (images, D)),
 * {@code <split>2014_urls.txt} (one URL per feature row) and {@code coco2014_vocab.json}.
 *
 * <p>The feature files are named by {@code features}: the course's default is {@link #COURSE_FEATURES}
 * ({@code train2014_vgg16_fc7_pca.h5}); the sample in {@code coco_captioning/cs231n_layout_sample} has
 * {@code mobilenet_v2_pool}. The HDF5 files hold no caption text, so an image's references (for BLEU) are
 * its encoded captions decoded back to words ({@code <UNK>} included).
 */
public final class CocoCaptioning {
    /** The course's feature name: VGG16 fc7 reduced to 512 by PCA. */
    public static final String COURSE_FEATURES = "vgg16_fc7_pca";
    /** The course's split names. */
    public static final List<String> SPLITS = List.of("train", "val");
    /** Deflate's greatest expansion (about 1032:1), rounded up: the most data an HDF5 file of n bytes can hold. */
    private static final long MAX_EXPANSION = 1100;

    private CocoCaptioning() {
    }

    /** Reads {@code dir/coco2014_vocab.json}. */
    public static Vocabulary vocabulary(Path dir) throws IOException {
        return Vocabulary.readCourseJson(dir.resolve("coco2014_vocab.json"));
    }

    /** One split ({@code train} or {@code val}) with the features named {@code features}. */
    public static CaptionData load(Path dir, String split, String features, Vocabulary vocab) throws IOException {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("CocoCaptioning: unknown split '" + split + "'; choose one of " + SPLITS);
        }
        Path captionFile = existing(dir.resolve("coco2014_captions.h5"), "the course's caption file");
        Path featureFile = existing(dir.resolve(split + "2014_" + features + ".h5"),
                "the feature file (choose its name with the features option)");
        Path urlFile = existing(dir.resolve(split + "2014_urls.txt"), "the image URL list");
        int[][] captions = readHdf5(captionFile, h5 -> ints2d(h5, captionFile, split + "_captions"));
        int[] idxs = readHdf5(captionFile, h5 -> ints1d(h5, captionFile, split + "_image_idxs"));
        Features f = readHdf5(featureFile, h5 -> features(h5, featureFile));
        float[] feats = f.values();
        int dim = f.dim();
        List<String> urls = TextLines.read(urlFile).stream().filter(s -> !s.isBlank()).toList();
        int images = feats.length / dim;
        if (urls.size() != images) {
            throw new IOException(urlFile + " has " + urls.size() + " URLs but " + featureFile + " has " + images
                    + " feature rows");
        }
        if (captions.length != idxs.length) {
            throw new IOException(captionFile + ": " + split + "_captions has " + captions.length + " rows but "
                    + split + "_image_idxs has " + idxs.length);
        }
        List<List<String>> refs = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            refs.add(new ArrayList<>());
        }
        for (int i = 0; i < captions.length; i++) {
            if (idxs[i] < 0 || idxs[i] >= images) {
                throw new IOException(captionFile + ": " + split + "_image_idxs[" + i + "] = " + idxs[i]
                        + " is outside the " + images + " rows of " + featureFile);
            }
            for (int id : captions[i]) {
                if (id < 0 || id >= vocab.size()) {
                    throw new IOException(captionFile + ": " + split + "_captions row " + i + " has word id " + id
                            + ", outside the vocabulary of " + vocab.size());
                }
            }
            refs.get(idxs[i]).add(vocab.decode(captions[i]));
        }
        return new CaptionData("coco/" + split, feats, dim, captions, idxs, urls, refs);
    }

    /**
     * The course's small-data set, made from distinct images: the images of the train split and then of the
     * val split, the first caption of each, for the first {@code count} images. The course draws its 50
     * captions at random from 400,000, so they are practically of 50 different images; the first 50 rows of a
     * small file would be about 11 images with 5 different captions each, which no network can fit to a loss
     * near 0 (the same features must give 5 different captions).
     */
    public static CaptionData smallData(Path dir, String features, Vocabulary vocab, int count) throws IOException {
        List<CaptionData> parts = List.of(load(dir, "train", features, vocab), load(dir, "val", features, vocab));
        int dim = parts.get(0).featureDim();
        List<int[]> captions = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<String> images = new ArrayList<>();
        List<List<String>> refs = new ArrayList<>();
        for (CaptionData part : parts) {
            if (part.featureDim() != dim) {
                throw new IOException(dir + ": the train features have " + dim + " dimensions but the val features "
                        + part.featureDim());
            }
            boolean[] taken = new boolean[part.imageCount()];
            for (int i = 0; i < part.captions().length && captions.size() < count; i++) {
                int img = part.imageIdxs()[i];
                if (!taken[img]) {
                    taken[img] = true;
                    captions.add(part.captions()[i]);
                    rows.add(part.featureRows(new int[] {img}));
                    images.add(part.images().get(img));
                    refs.add(part.references().get(img));
                }
            }
        }
        if (captions.size() < count) {
            throw new IOException(dir + " has only " + captions.size() + " distinct images, fewer than " + count);
        }
        float[] feats = new float[count * dim];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows.get(i), 0, feats, i * dim, dim);
        }
        return new CaptionData("coco/small", feats, dim, captions.toArray(new int[0][]),
                java.util.stream.IntStream.range(0, count).toArray(), images, refs);
    }

    private static Path existing(Path file, String what) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " is missing");
        }
        return file;
    }

    /** What one read of an open HDF5 file returns. */
    @FunctionalInterface
    private interface Hdf5Read<T> {
        T from(HdfFile h5) throws IOException;
    }

    /**
     * Opens {@code file} with jHDF and reads from it. jHDF reports a file that is not HDF5, or is damaged, with
     * unchecked exceptions that do not name the file; here they become an IOException that does.
     *
     * <p>The file is memory-mapped and handed to jHDF as a buffer: reading from a file, jHDF allocates each
     * header it reads at the size the file states, so a damaged size (found by the fuzzer) ran out of memory;
     * from a buffer it takes slices, and a size past the end fails. Files of 2 GB and more cannot be one buffer and
     * are read from the file.
     */
    private static <T> T readHdf5(Path file, Hdf5Read<T> read) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             HdfFile h5 = channel.size() < Integer.MAX_VALUE
                     ? HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()))
                     : new HdfFile(file)) {
            return read.from(h5);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith(file.toString())) {
                throw e; // ours, already naming the file
            }
            throw notReadable(file, e);
        } catch (RuntimeException e) {
            throw notReadable(file, e);
        }
    }

    private static IOException notReadable(Path file, Exception e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new IOException(file + ": not a readable HDF5 file (" + why + ")", e);
    }

    /** The rows of dataset {@code features} and their length. */
    private record Features(float[] values, int dim) {
    }

    private static Features features(HdfFile h5, Path file) throws IOException {
        Dataset ds = dataset(h5, file, "features");
        int[] dims = ds.getDimensions();
        if (dims.length != 2 || dims[1] < 1) {
            throw new IOException(file + ": dataset 'features' has shape " + Arrays.toString(dims)
                    + ", expected (images, D) with D at least 1");
        }
        return new Features(flattenFloats(data(ds, file, "features"), dims[0], dims[1], file), dims[1]);
    }

    private static Dataset dataset(HdfFile h5, Path file, String name) throws IOException {
        Node node = h5.getChildren().get(name);
        if (!(node instanceof Dataset ds)) {
            throw new IOException(file + ": no dataset '" + name + "' (has " + h5.getChildren().keySet() + ")");
        }
        return ds;
    }

    /**
     * The dataset's values, once its shape has been checked against the file: jHDF allocates what the header
     * claims, so a damaged header would otherwise ask for gigabytes. Compressed data can unpack to more than the
     * file's size, but not to more than deflate's ratio of it.
     */
    private static Object data(Dataset ds, Path file, String name) throws IOException {
        long elements = ds.getSize();
        long bytes = elements * Math.max(1, ds.getDataType().getSize());
        long most = MAX_EXPANSION * Files.size(file);
        if (elements > Integer.MAX_VALUE - 8 || bytes > most) {
            throw new IOException(file + ": dataset '" + name + "' claims shape " + Arrays.toString(ds.getDimensions())
                    + " (" + bytes + " bytes), more than a file of " + Files.size(file) + " bytes can hold");
        }
        return ds.getData();
    }

    private static int[][] ints2d(HdfFile h5, Path file, String name) throws IOException {
        Dataset ds = dataset(h5, file, name);
        Object data = data(ds, file, name);
        if (data instanceof int[][] a) {
            return a;
        }
        if (data instanceof long[][] a) {
            int[][] out = new int[a.length][];
            for (int i = 0; i < a.length; i++) {
                out[i] = toInts(a[i], file, name);
            }
            return out;
        }
        throw new IOException(file + ": dataset '" + name + "' is " + data.getClass().getSimpleName()
                + " of shape " + Arrays.toString(ds.getDimensions()) + ", expected a 2-D integer array");
    }

    private static int[] ints1d(HdfFile h5, Path file, String name) throws IOException {
        Dataset ds = dataset(h5, file, name);
        Object data = data(ds, file, name);
        if (data instanceof int[] a) {
            return a;
        }
        if (data instanceof long[] a) {
            return toInts(a, file, name);
        }
        throw new IOException(file + ": dataset '" + name + "' is " + data.getClass().getSimpleName()
                + " of shape " + Arrays.toString(ds.getDimensions()) + ", expected a 1-D integer array");
    }

    private static int[] toInts(long[] values, Path file, String name) throws IOException {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new IOException(file + ": dataset '" + name + "' holds " + values[i]
                        + ", too large for a word id or an image index");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private static float[] flattenFloats(Object data, int rows, int cols, Path file) throws IOException {
        float[] out = new float[rows * cols];
        if (data instanceof float[][] a) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(a[i], 0, out, i * cols, cols);
            }
        } else if (data instanceof double[][] a) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] = (float) a[i][j];
                }
            }
        } else {
            throw new IOException(file + ": dataset 'features' is " + data.getClass().getSimpleName()
                    + ", expected a 2-D float array");
        }
        return out;
    }
}
