package dev.nabla.spark;

import dev.nabla.data.ImageFeatures;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The captioning image features as a Spark job: the images are cut into contiguous partitions (whole batches of
 * {@link ImageFeatures#BATCH}), each task computes its rows with {@link ImageFeatures#compute(ImageFeatures.Network,
 * Path, List)}, and the driver puts the rows back in order. Each executor loads the pretrained network once and keeps
 * it for all its tasks. A network computes an image's features independently of the others in its batch, so the rows
 * are those of the local extraction.
 */
public final class DistributedFeatures {
    /** Images between two progress lines of a task. */
    private static final int REPORT_EVERY = 8 * ImageFeatures.BATCH;
    private static final Map<String, ImageFeatures.Network> NETWORKS = new ConcurrentHashMap<>();

    private DistributedFeatures() {
    }

    /** Where the tasks find the images and the network (paths every executor sees), and on which backend. */
    public record Source(String imageDir, String modelDir, String backend) implements Serializable {
    }

    /** An extractor for {@link ImageFeatures#cached}: the features computed by {@code partitions} Spark tasks. */
    public static ImageFeatures.Extractor extractor(JavaSparkContext sc, Source source, int partitions) {
        return new ImageFeatures.Extractor() {
            @Override
            public float[] compute(List<String> images) {
                return DistributedFeatures.compute(sc, source, images, partitions);
            }

            @Override
            public String toString() {
                return "MobileNetV2 on backend " + source.backend() + " in " + partitions + " Spark tasks";
            }
        };
    }

    /** The features of {@code images}, row i for image i, computed in {@code partitions} Spark tasks. */
    public static float[] compute(JavaSparkContext sc, Source source, List<String> images, int partitions) {
        List<List<String>> parts = split(images, partitions);
        Progress progress = Progress.register(sc, "image features");
        sc.setJobDescription("image features of " + images.size() + " images");
        List<float[]> rows;
        try {
            rows = sc.parallelize(parts, parts.size()).map(part -> Unchecked.call(() -> rows(source, part, progress)))
                    .collect();
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            throw new IllegalStateException("the image-feature job failed: " + e.getMessage(), e);
        }
        return concat(rows);
    }

    /** Up to {@code partitions} contiguous runs of whole batches, in order. */
    static List<List<String>> split(List<String> images, int partitions) {
        int batches = (images.size() + ImageFeatures.BATCH - 1) / ImageFeatures.BATCH;
        int p = Math.max(1, Math.min(partitions, batches));
        List<List<String>> parts = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            int from = Math.min(images.size(), (int) ((long) batches * i / p) * ImageFeatures.BATCH);
            int to = Math.min(images.size(), (int) ((long) batches * (i + 1) / p) * ImageFeatures.BATCH);
            parts.add(new ArrayList<>(images.subList(from, to)));
        }
        return parts;
    }

    /** A task's rows, a few batches at a time so that the driver hears how far it got. */
    private static float[] rows(Source source, List<String> part, Progress progress) throws IOException {
        ImageFeatures.Network net = network(source);
        int index = TaskContext.getPartitionId();
        long start = System.nanoTime();
        List<float[]> chunks = new ArrayList<>();
        for (int from = 0; from < part.size(); from += REPORT_EVERY) {
            List<String> chunk = part.subList(from, Math.min(part.size(), from + REPORT_EVERY));
            chunks.add(ImageFeatures.compute(net, Path.of(source.imageDir()), chunk));
            int done = from + chunk.size();
            progress.report(String.format(Locale.ROOT, "partition %d: %d / %d images, %.1f images/s", index, done,
                    part.size(), done / ((System.nanoTime() - start) / 1e9)));
        }
        return concat(chunks);
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(c -> c.length).sum()];
        int offset = 0;
        for (float[] c : parts) {
            System.arraycopy(c, 0, out, offset, c.length);
            offset += c.length;
        }
        return out;
    }

    /** The network of {@code source} on this task's backend, loaded once per executor. */
    private static ImageFeatures.Network network(Source source) {
        var backend = SparkJobs.taskBackend(source.backend());
        String key = source.modelDir() + "|" + backend.name() + "|" + System.identityHashCode(backend);
        return NETWORKS.computeIfAbsent(key, k -> Unchecked.call(() -> ImageFeatures.Network.load(
                Path.of(source.modelDir()), backend)));
    }
}
