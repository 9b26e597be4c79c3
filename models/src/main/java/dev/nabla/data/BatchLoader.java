package dev.nabla.data;

import dev.nabla.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Minibatches of an {@link ImageFolder}, decoded and transformed on background threads ahead of the consumer (the
 * role of PyTorch's {@code DataLoader} with workers).
 *
 * <pre>{@code
 * try (BatchLoader train = BatchLoader.training(folder, prep, 32, seed)) {
 *     for (int e = 0; e < epochs; e++) {
 *         for (BatchLoader.Batch b : train.epoch(e)) {
 *             Tensor x = backend.fromArray(b.x(), DType.FLOAT32, b.shape());   // (B, 3, 224, 224)
 *             ... b.labels() ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Each epoch visits every sample once: in a shuffled order for training (a new permutation per epoch, drawn
 * from the seed and the epoch number), in the folder's order for evaluation. The last batch holds the remainder
 * (it is not dropped). Every sample gets its own {@link Random}, seeded from (seed, epoch, sample index), so a
 * run repeats exactly whatever the number of threads.
 *
 * <p>Work runs on {@code threads} daemon threads, at most {@code prefetch} batches ahead of the consumer, so memory
 * stays bounded. A file that cannot be decoded (an {@link IOException} from the transform) is left out of its batch
 * with a warning naming it (once per file), which makes that batch one smaller; any other exception reaches the
 * consumer as a {@link LoadException} naming the file. Starting an epoch abandons what is left of the previous
 * one. One consumer thread at a time; {@link #close()} stops the threads.
 */
public final class BatchLoader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);

    /** Turns one image file into its network input, a sample of the loader's sample shape. */
    @FunctionalInterface
    public interface SampleTransform {
        /** The input for {@code file}; all randomness must come from {@code rnd}. */
        float[] load(Path file, Random rnd) throws IOException;
    }

    /**
     * One minibatch: {@code x} holds {@link #size()} samples one after the other, with their {@code labels} and
     * source {@code paths} in the same order; {@link #shape()} is (size, sampleShape...).
     */
    public record Batch(float[] x, int[] labels, List<Path> paths, Shape shape) {
        /** Number of samples. */
        public int size() {
            return labels.length;
        }
    }

    /** A sample's transform failed with something other than an unreadable image; names the file. */
    public static final class LoadException extends RuntimeException {
        private final transient Path path;

        LoadException(Path path, Throwable cause) {
            super("BatchLoader: loading " + path + " failed: " + cause, cause);
            this.path = path;
        }

        /** The file being loaded. */
        public Path path() {
            return path;
        }
    }

    private final ImageFolder folder;
    private final int[] sampleShape;
    private final int sampleSize;
    private final SampleTransform transform;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int prefetch;
    private final ThreadPoolExecutor pool;
    private final Set<Path> warned = ConcurrentHashMap.newKeySet();
    private EpochIterator current;
    private boolean closed;

    /**
     * A loader of {@code folder} in batches of {@code batchSize}; each sample is {@code transform}'s output of
     * {@code sampleShape}. {@code shuffle} draws a new order per epoch from {@code seed}; {@code threads} workers
     * stay at most {@code prefetch} batches ahead.
     */
    public BatchLoader(ImageFolder folder, int[] sampleShape, SampleTransform transform, int batchSize,
                       boolean shuffle, long seed, int threads, int prefetch) {
        if (batchSize < 1 || threads < 1 || prefetch < 1) {
            throw new IllegalArgumentException("BatchLoader: batchSize (" + batchSize + "), threads (" + threads
                    + ") and prefetch (" + prefetch + ") must be at least 1");
        }
        this.folder = folder;
        this.sampleShape = sampleShape.clone();
        this.sampleSize = Math.toIntExact(Shape.of(sampleShape).size());
        this.transform = transform;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.prefetch = prefetch;
        AtomicInteger n = new AtomicInteger();
        this.pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nabla-batch-loader-" + n.incrementAndGet());
            t.setDaemon(true);  // a forgotten close() must not keep the JVM alive
            return t;
        });
    }

    /**
     * Training batches: shuffled per epoch, {@link ImagePreprocessing#trainTransform} (random resized crop, random
     * flip, normalisation), on all cores, 3 batches ahead.
     */
    public static BatchLoader training(ImageFolder folder, ImagePreprocessing prep, int batchSize, long seed) {
        return training(folder, prep, batchSize, seed, defaultThreads());
    }

    /** As {@link #training(ImageFolder, ImagePreprocessing, int, long)} on {@code threads} workers. */
    public static BatchLoader training(ImageFolder folder, ImagePreprocessing prep, int batchSize, long seed,
                                       int threads) {
        return new BatchLoader(folder, new int[] {3, prep.cropHeight(), prep.cropWidth()},
                (file, rnd) -> prep.trainTransform(ImagePreprocessing.decode(file), rnd),
                batchSize, true, seed, threads, 3);
    }

    /** Evaluation batches: in the folder's order, {@link ImagePreprocessing#evalTransform}, on all cores. */
    public static BatchLoader evaluation(ImageFolder folder, ImagePreprocessing prep, int batchSize) {
        return evaluation(folder, prep, batchSize, defaultThreads());
    }

    /** As {@link #evaluation(ImageFolder, ImagePreprocessing, int)} on {@code threads} workers. */
    public static BatchLoader evaluation(ImageFolder folder, ImagePreprocessing prep, int batchSize, int threads) {
        return new BatchLoader(folder, new int[] {3, prep.cropHeight(), prep.cropWidth()},
                (file, rnd) -> prep.evalTransform(ImagePreprocessing.decode(file)),
                batchSize, false, 0, threads, 3);
    }

    /** The number of available processors: decoding is CPU-bound. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The folder loaded. */
    public ImageFolder folder() {
        return folder;
    }

    /** Batches per epoch (the last may be partial). */
    public int batchesPerEpoch() {
        return (folder.size() + batchSize - 1) / batchSize;
    }

    /**
     * The batches of epoch {@code epoch} (0, 1, ...): its order and augmentation depend only on the seed and this
     * number. Iterating starts the background work and abandons any previous epoch's.
     */
    public Iterable<Batch> epoch(int epoch) {
        return () -> start(epoch);
    }

    /** The order in which epoch {@code epoch} visits the folder's samples (indices into {@code samples()}). */
    public int[] order(int epoch) {
        int[] order = new int[folder.size()];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            Random rnd = new Random(mix(seed, epoch, -1));
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Abandons the current epoch and stops the threads. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.cancel();
        }
        pool.shutdownNow();
    }

    private synchronized EpochIterator start(int epoch) {
        if (closed) {
            throw new IllegalStateException("BatchLoader of " + folder.root() + " is closed");
        }
        if (current != null) {
            current.cancel();
            pool.purge();  // drops the cancelled tasks, and the batch arrays they hold, from the queue now
        }
        current = new EpochIterator(epoch, order(epoch));
        return current;
    }

    /** SplitMix64's finaliser over the three numbers: well-spread, independent seeds for nearby inputs. */
    private static long mix(long seed, long epoch, long index) {
        long z = seed;
        for (long v : new long[] {epoch, index}) {
            z = z * 0x9E3779B97F4A7C15L + v;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
        }
        return z;
    }

    /** A batch being built: its samples, its values, and one task per sample (null when it loaded, else why not). */
    private record Pending(int[] samples, float[] x, List<Future<String>> tasks) {
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final int epoch;
        private final int[] order;
        private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        private int submitted;  // samples of order[] handed to the pool so far
        private Batch ready;

        EpochIterator(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
            submitAhead();
        }

        @Override
        public boolean hasNext() {
            // Loops only past batches whose every file was unreadable.
            while (ready == null && !inFlight.isEmpty()) {
                Pending next = inFlight.poll();
                submitAhead();
                ready = collect(next);
            }
            return ready != null;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            }
            Batch b = ready;
            ready = null;
            return b;
        }

        void cancel() {
            for (Pending p : inFlight) {
                p.tasks().forEach(t -> t.cancel(false));
            }
            inFlight.clear();
        }

        private void submitAhead() {
            while (inFlight.size() < prefetch && submitted < order.length) {
                int count = Math.min(batchSize, order.length - submitted);
                int[] samples = Arrays.copyOfRange(order, submitted, submitted + count);
                submitted += count;
                float[] x = new float[count * sampleSize];
                List<Future<String>> tasks = new ArrayList<>(count);
                for (int slot = 0; slot < count; slot++) {
                    int s = samples[slot];
                    int offset = slot * sampleSize;
                    tasks.add(pool.submit(() -> loadInto(s, x, offset)));
                }
                inFlight.add(new Pending(samples, x, tasks));
            }
        }

        private String loadInto(int sample, float[] x, int offset) {
            Path file = folder.samples().get(sample).path();
            float[] values;
            try {
                values = transform.load(file, new Random(mix(seed, epoch, sample)));
            } catch (IOException e) {
                return e.getMessage() != null && e.getMessage().contains(file.toString()) ? e.getMessage()
                        : file + ": " + e;
            }
            if (values.length != sampleSize) {
                throw new IllegalStateException("the transform gave " + values.length + " values, not "
                        + sampleSize + " (shape " + Arrays.toString(sampleShape) + ")");
            }
            System.arraycopy(values, 0, x, offset, sampleSize);
            return null;
        }

        private Batch collect(Pending p) {
            boolean[] ok = new boolean[p.samples().length];
            int good = 0;
            for (int slot = 0; slot < ok.length; slot++) {
                Path file = folder.samples().get(p.samples()[slot]).path();
                String problem;
                try {
                    problem = p.tasks().get(slot).get();
                } catch (ExecutionException e) {
                    cancel();
                    throw new LoadException(file, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel();
                    throw new LoadException(file, e);
                } catch (CancellationException e) {
                    throw new IllegalStateException("BatchLoader of " + folder.root() + ": epoch " + epoch
                            + " was abandoned (another epoch started, or the loader was closed)", e);
                }
                if (problem == null) {
                    ok[slot] = true;
                    good++;
                } else if (warned.add(file)) {
                    LOG.warn("skipping {} (cannot decode it): {}", file, problem);
                }
            }
            if (good == 0) {
                return null;
            }
            float[] x = p.x();
            if (good < ok.length) {
                // Rare: compact the batch over the unreadable files.
                x = new float[good * sampleSize];
                for (int slot = 0, to = 0; slot < ok.length; slot++) {
                    if (ok[slot]) {
                        System.arraycopy(p.x(), slot * sampleSize, x, to++ * sampleSize, sampleSize);
                    }
                }
            }
            int[] labels = new int[good];
            List<Path> paths = new ArrayList<>(good);
            for (int slot = 0, to = 0; slot < ok.length; slot++) {
                if (ok[slot]) {
                    ImageFolder.Sample s = folder.samples().get(p.samples()[slot]);
                    labels[to++] = s.label();
                    paths.add(s.path());
                }
            }
            int[] dims = new int[sampleShape.length + 1];
            dims[0] = good;
            System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
            return new Batch(x, labels, List.copyOf(paths), Shape.of(dims));
        }
    }
}
