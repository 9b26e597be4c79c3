package dev.nabla.data;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.AtomicFile;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.TextLines;
import dev.nabla.models.MobileNetV2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image features from the pretrained MobileNetV2 (its 1280-d global-average-pooled output, after its evaluation
 * transform, {@link MobileNetV2#PREPROCESSING}), computed once and cached.
 *
 * <p>A cache entry is two files in a folder of its own, written atomically (temp file, then rename):
 * {@code <name>.features.npy} (float32, (images, 1280)) and {@code <name>.images.txt} (the image file
 * names, one a line, in row order). An entry is reused when both exist, the image list is exactly the one
 * asked for and the array has one row per image; otherwise it is computed again and replaced.
 */
public final class ImageFeatures {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFeatures.class);

    /** The pretrained network's ONNX file inside the data folder. */
    public static final String MODEL = MobileNetV2.DEFAULT_FILE;
    /** Images per forward pass: large enough for the backends' kernels, small enough for memory. */
    public static final int BATCH = 16;

    private ImageFeatures() {
    }

    /** The default cache folder: {@code $XDG_CACHE_HOME/nabla}, else {@code ~/.cache/nabla}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nabla");
    }

    /**
     * The features of {@code images} (files in {@code imageDir}), row i for image i: read from
     * {@code cacheDir/<name>.*} when valid there, else computed with the MobileNetV2 of {@code modelFile} on
     * {@code backend} and cached.
     */
    public static float[] cached(Path cacheDir, String name, Path imageDir, List<String> images, Path modelFile,
                                 Backend backend) throws IOException {
        return cached(cacheDir, name, images, new Extractor() {
            @Override
            public float[] compute(List<String> todo) throws IOException {
                return ImageFeatures.compute(imageDir, todo, modelFile, backend);
            }

            @Override
            public String toString() {
                return "MobileNetV2 on backend " + backend.name();
            }
        });
    }

    /** What computes the features of a list of images, row i for image i (here, or as a Spark job). */
    public interface Extractor {
        /** The features of {@code images}, one row after the other. */
        float[] compute(List<String> images) throws IOException;
    }

    /**
     * The features of {@code images}: read from {@code cacheDir/<name>.*} when valid there, else computed by
     * {@code extractor} (its {@code toString()} says how, in the log) and cached.
     */
    public static float[] cached(Path cacheDir, String name, List<String> images, Extractor extractor)
            throws IOException {
        Path npy = cacheDir.resolve(name + ".features.npy");
        Path list = cacheDir.resolve(name + ".images.txt");
        float[] hit = readIfValid(npy, list, images);
        if (hit != null) {
            LOG.info("image features: {} images from the cache {}", images.size(), npy);
            return hit;
        }
        LOG.info("image features: computing {} images with {} (cached in {})", images.size(), extractor, cacheDir);
        float[] features = extractor.compute(images);
        int dim = features.length / Math.max(images.size(), 1);
        // The old list goes first and the new one comes last: a list that matches is what makes an entry valid,
        // so a crash in between leaves no list that could pair with the wrong array.
        Files.deleteIfExists(list);
        Npy.write(npy, Shape.of(images.size(), dim), features); // atomic itself
        String text = String.join("\n", images) + "\n";
        AtomicFile.write(list, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        return features;
    }

    /** The cached features when both files exist and match {@code images}; null otherwise (with the reason logged). */
    public static float[] readIfValid(Path npy, Path list, List<String> images) throws IOException {
        if (!Files.isRegularFile(npy) || !Files.isRegularFile(list)) {
            return null;
        }
        List<String> cachedImages;
        try {
            cachedImages = TextLines.read(list);
        } catch (IOException e) {
            LOG.warn("image features: {} cannot be read ({}); recomputing", list, e.getMessage());
            return null;
        }
        if (!cachedImages.equals(images)) {
            LOG.warn("image features: {} lists other images than asked for; recomputing", list);
            return null;
        }
        NpyArray a;
        try {
            a = Npy.read(npy);
        } catch (IOException | RuntimeException e) {
            LOG.warn("image features: {} cannot be read ({}); recomputing", npy, e.getMessage());
            return null;
        }
        if (a.shape().rank() != 2 || a.shape().dim(0) != images.size() || !a.descr().equals("<f4")) {
            LOG.warn("image features: {} has shape {} and dtype {}, expected ({}, D) float32; recomputing", npy,
                    a.shape(), a.descr(), images.size());
            return null;
        }
        return a.asFloats();
    }

    /** The feature network and the transform its images need, loaded once and used for any number of images. */
    public record Network(MobileNetV2 net, ImagePreprocessing prep, Backend backend) {
        /** The pretrained network of the ONNX file {@code modelFile} on {@code backend}: the one place that loads it. */
        public static Network load(Path modelFile, Backend backend) throws IOException {
            return new Network(MobileNetV2.load(modelFile, backend, DType.FLOAT32), MobileNetV2.PREPROCESSING, backend);
        }
    }

    /** Computes the features with the network of {@code modelFile} (see {@link #compute(Network, Path, List)}). */
    public static float[] compute(Path imageDir, List<String> images, Path modelFile, Backend backend)
            throws IOException {
        return compute(Network.load(modelFile, backend), imageDir, images);
    }

    /**
     * Computes the features of {@code images} (files in {@code imageDir}) in batches of {@link #BATCH}: images are
     * decoded and transformed on a background thread while the network runs on the previous batch. A file that
     * cannot be decoded is an IOException naming it.
     */
    public static float[] compute(Network network, Path imageDir, List<String> images) throws IOException {
        MobileNetV2 net = network.net();
        ImagePreprocessing prep = network.prep();
        Backend backend = network.backend();
        int n = images.size();
        int pixels = 3 * prep.cropHeight() * prep.cropWidth();
        float[] out = null;
        int dim = 0;
        ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "feature-decode");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            CompletableFuture<float[]> next = CompletableFuture.supplyAsync(() -> batch(imageDir, images, 0, prep,
                    pixels), decoder);
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(from + BATCH, n);
                float[] x = join(next);
                if (to < n) {
                    int nextFrom = to;
                    next = CompletableFuture.supplyAsync(() -> batch(imageDir, images, nextFrom, prep, pixels), decoder);
                }
                Tensor in = backend.fromArray(x, DType.FLOAT32,
                        Shape.of(to - from, 3, prep.cropHeight(), prep.cropWidth()));
                Tensor f = net.features(in);
                float[] rows = f.toFloatArray();
                f.close();
                in.close();
                if (out == null) {
                    dim = rows.length / (to - from);
                    out = new float[n * dim];
                }
                System.arraycopy(rows, 0, out, from * dim, rows.length);
                double seconds = (System.nanoTime() - start) / 1e9;
                if ((from / BATCH) % 16 == 15 || to == n) {
                    LOG.info(String.format(Locale.ROOT, "image features: %d / %d images, %.1f images/s, ETA %.0f s",
                            to, n, to / seconds, (n - to) / (to / seconds)));
                }
            }
        } finally {
            decoder.shutdownNow();
        }
        return out == null ? new float[0] : out;
    }

    private static float[] batch(Path imageDir, List<String> images, int from, ImagePreprocessing prep, int pixels) {
        int to = Math.min(from + BATCH, images.size());
        float[] x = new float[(to - from) * pixels];
        for (int i = from; i < to; i++) {
            try {
                float[] img = prep.evalTransform(ImagePreprocessing.decode(imageDir.resolve(images.get(i))));
                System.arraycopy(img, 0, x, (i - from) * pixels, pixels);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return x;
    }

    private static float[] join(CompletableFuture<float[]> f) throws IOException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }
}
