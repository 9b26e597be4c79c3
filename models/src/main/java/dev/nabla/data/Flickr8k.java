package dev.nabla.data;

import dev.nabla.Backend;
import dev.nabla.io.TextLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flickr8k folder ({@code <data>/flickr8k}, see its README): {@code captions.tsv} with 5 captions per
 * image, the {@code train/dev/test.txt} splits and the 224x224 JPEGs in {@code images/}.
 */
public final class Flickr8k {
    /** The folder inside the data folder. */
    public static final String DIR = "flickr8k";
    /** The split names. */
    public static final List<String> SPLITS = List.of("train", "dev", "test");

    private final Path dir;
    private final Map<String, List<String>> captions;

    private Flickr8k(Path dir, Map<String, List<String>> captions) {
        this.dir = dir;
        this.captions = captions;
    }

    /** Reads {@code dataDir/flickr8k/captions.tsv}; a missing or malformed file is an IOException naming it. */
    public static Flickr8k open(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIR);
        Path tsv = dir.resolve("captions.tsv");
        if (!Files.isRegularFile(tsv)) {
            throw new NoSuchFileException(tsv.toString(), null, "the Flickr8k captions are missing");
        }
        Map<String, List<String>> byImage = new LinkedHashMap<>();
        List<String> lines = TextLines.read(tsv);
        if (lines.isEmpty() || !lines.get(0).equals("image\tindex\tcaption")) {
            throw new IOException(tsv + ": expected the header 'image<TAB>index<TAB>caption'");
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != 3) {
                throw new IOException(tsv + ":" + (i + 1) + ": expected 3 tab-separated fields, got " + f.length);
            }
            byImage.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2]);
        }
        return new Flickr8k(dir, byImage);
    }

    /** The folder of the JPEGs. */
    public Path imageDir() {
        return dir.resolve("images");
    }

    /** The image file names of a split ({@code train}, {@code dev} or {@code test}), in the split file's order. */
    public List<String> split(String name) throws IOException {
        if (!SPLITS.contains(name)) {
            throw new IllegalArgumentException("Flickr8k: unknown split '" + name + "'; choose one of " + SPLITS);
        }
        Path file = dir.resolve(name + ".txt");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "the Flickr8k split file is missing");
        }
        List<String> images = new ArrayList<>();
        for (String line : TextLines.read(file)) {
            if (!line.isBlank()) {
                String image = line.strip();
                if (!captions.containsKey(image)) {
                    throw new IOException(file + ": image " + image + " has no captions in captions.tsv");
                }
                images.add(image);
            }
        }
        return images;
    }

    /** The raw captions of one image. */
    public List<String> captions(String image) {
        List<String> c = captions.get(image);
        if (c == null) {
            throw new IllegalArgumentException("Flickr8k: no captions for image " + image);
        }
        return c;
    }

    /** Every raw caption of the given images, in order (the text a vocabulary is built from). */
    public List<String> captionsOf(List<String> images) {
        List<String> out = new ArrayList<>();
        images.forEach(im -> out.addAll(captions(im)));
        return out;
    }

    /**
     * The name of the feature-cache entry (in {@code <cacheDir>/flickr8k/}) of the first {@code images} images of a
     * split of {@code splitSize}: the whole split's, or one of its own for a part (so that a part never replaces the
     * whole split's entry). {@link #load} reads a part from the whole split's entry when that one is cached.
     */
    public static String featureEntry(String split, int images, int splitSize) {
        return (images < splitSize ? split + "-first" + images : split) + "_mobilenet_v2_pool";
    }

    /**
     * A split as {@link CaptionData}: every caption of at most {@code maxWords} words encoded with {@code vocab}
     * (longer ones are left out of training, as the course does, but stay among the BLEU references), and the
     * features of {@link ImageFeatures#cached} under {@code cacheDir/flickr8k/}.
     */
    public CaptionData load(String split, Vocabulary vocab, int maxWords, Path dataDir, Path cacheDir,
                            Backend backend) throws IOException {
        return load(split, Integer.MAX_VALUE, vocab, maxWords, dataDir, cacheDir, backend);
    }

    /** As {@link #load(String, Vocabulary, int, Path, Path, Backend)} for the first {@code limit} images of the split. */
    public CaptionData load(String split, int limit, Vocabulary vocab, int maxWords, Path dataDir, Path cacheDir,
                            Backend backend) throws IOException {
        List<String> all = split(split);
        List<String> images = all.size() > limit ? all.subList(0, limit) : all;
        Path cache = cacheDir.resolve(DIR);
        String whole = featureEntry(split, all.size(), all.size());
        float[] features = null;
        if (images.size() < all.size()) {
            // A part of a split: the first rows of the whole split's entry when that is cached, else an entry of
            // its own (so that it never replaces the whole split's).
            float[] cachedWhole = ImageFeatures.readIfValid(cache.resolve(whole + ".features.npy"),
                    cache.resolve(whole + ".images.txt"), all);
            if (cachedWhole != null) {
                features = java.util.Arrays.copyOf(cachedWhole, cachedWhole.length / all.size() * images.size());
            } else {
                features = ImageFeatures.cached(cache, featureEntry(split, images.size(), all.size()),
                        imageDir(), images, dataDir.resolve(ImageFeatures.MODEL), backend);
            }
        } else {
            features = ImageFeatures.cached(cache, whole, imageDir(), images, dataDir.resolve(ImageFeatures.MODEL),
                    backend);
        }
        List<int[]> rows = new ArrayList<>();
        List<Integer> idxs = new ArrayList<>();
        List<List<String>> refs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<String> raw = captions(images.get(i));
            refs.add(raw);
            for (String c : raw) {
                int[] row = vocab.encode(c, maxWords);
                if (row != null) {
                    rows.add(row);
                    idxs.add(i);
                }
            }
        }
        return new CaptionData("flickr8k/" + split, features, images.isEmpty() ? 1 : features.length / images.size(),
                rows.toArray(new int[0][]), idxs.stream().mapToInt(Integer::intValue).toArray(), images, refs);
    }
}
