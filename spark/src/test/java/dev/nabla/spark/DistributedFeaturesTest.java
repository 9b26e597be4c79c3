package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.Backends;
import dev.nabla.data.Flickr8k;
import dev.nabla.data.ImageFeatures;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The captioning features computed by a Spark job: identical to the local extraction, and cached in its format. */
class DistributedFeaturesTest {
    private static final int IMAGES = 20; // two partitions: one whole batch of 16, and 4

    @Test
    void sparkFeaturesAreTheLocalOnesAndTheCommandReadsTheirCache(@TempDir Path cache) throws IOException {
        Flickr8k f = Flickr8k.open(TestData.dir());
        List<String> images = f.split("train").subList(0, IMAGES);
        Path modelDir = TestData.dir().resolve(ImageFeatures.MODEL);
        float[] local = ImageFeatures.compute(f.imageDir(), images, modelDir, Backends.get("cpu"));

        DistributedFeatures.Source source = new DistributedFeatures.Source(f.imageDir().toString(), modelDir.toString(),
                "cpu");
        float[] spark = ImageFeatures.cached(cache, "train-sample", images,
                DistributedFeatures.extractor(LocalSpark.context(), source, 2));
        assertArrayEquals(local, spark);

        // What ./nabla captioning reads: a valid entry, so no network is loaded (this folder holds none).
        float[] read = ImageFeatures.cached(cache, "train-sample", f.imageDir(), images, cache.resolve("no-model"),
                Backends.get("cpu"));
        assertArrayEquals(local, read);
    }

    @Test
    void partitionsAreWholeBatchesInOrder() {
        List<String> images = java.util.stream.IntStream.range(0, 70).mapToObj(i -> "im" + i).toList();
        List<List<String>> parts = DistributedFeatures.split(images, 3);
        assertEquals(List.of(16, 32, 22), parts.stream().map(List::size).toList());
        assertEquals(images, parts.stream().flatMap(List::stream).toList());
        assertEquals(1, DistributedFeatures.split(images.subList(0, 5), 4).size());
    }
}
