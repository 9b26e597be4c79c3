package dev.nabla.spark;

import dev.nabla.data.Flickr8k;
import dev.nabla.data.ImageFeatures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code nabla captioning --spark}: fills the Flickr8k feature cache with Spark jobs, entry for entry as
 * {@link Flickr8k#load} will look for it, so that the command then reads every split from the cache unchanged.
 */
public final class FlickrFeatures {
    private FlickrFeatures() {
    }

    /**
     * Computes, with Spark, the cache entries of the given splits (each limited to its first images
     * when its limit is not null) that are not valid in {@code cacheDir} yet; the images and the network are read from
     * {@code dataDir}, which every executor must see at that path.
     */
    public static void precompute(JavaSparkContext sc, Path dataDir, Path cacheDir, Map<String, Integer> limits,
                                  String backend) throws IOException {
        Flickr8k f = Flickr8k.open(dataDir);
        Path cache = cacheDir.resolve(Flickr8k.DIR);
        DistributedFeatures.Source source = new DistributedFeatures.Source(f.imageDir().toString(),
                dataDir.resolve(ImageFeatures.MODEL).toString(), backend);
        ImageFeatures.Extractor extractor = DistributedFeatures.extractor(sc, source, sc.defaultParallelism());
        for (Map.Entry<String, Integer> split : limits.entrySet()) {
            List<String> all = f.split(split.getKey());
            Integer limit = split.getValue();
            List<String> images = limit != null && limit < all.size() ? all.subList(0, limit) : all;
            String whole = Flickr8k.featureEntry(split.getKey(), all.size(), all.size());
            if (images.size() < all.size() && ImageFeatures.readIfValid(cache.resolve(whole + ".features.npy"),
                    cache.resolve(whole + ".images.txt"), all) != null) {
                continue; // Flickr8k.load takes a part from the whole split's entry
            }
            ImageFeatures.cached(cache, Flickr8k.featureEntry(split.getKey(), images.size(), all.size()), images,
                    extractor);
        }
    }
}
