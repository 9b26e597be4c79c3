package dev.nabla.data;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled image set laid out as torchvision's {@code ImageFolder}: {@code root/<class>/.../<image>}, one
 * sub-folder per class, classes sorted by name and numbered from 0, images sorted by path within each class.
 *
 * <p>What is taken: files ending in {@code .jpg .jpeg .png .gif .bmp .tif .tiff} (any case; unlike torchvision,
 * GIF is included since Java decodes it), found at any depth under a class folder. Other files are ignored, as
 * torchvision ignores them, and so are class folders whose name starts with a dot ({@code .ipynb_checkpoints}).
 *
 * <p>A file that cannot be read as an image (unknown format, broken header, a {@code .webp} Java cannot decode,
 * a header of more pixels than {@link ImagePreprocessing#MAX_PIXELS})
 * does not stop anything: it is left out, logged as a warning naming its path, and listed in {@link #skipped()}.
 * Only its header is read here, so a file whose pixel data is corrupt is caught later, by {@link BatchLoader},
 * under the same rule. A missing folder, a folder without class sub-folders, or a class without a single image is
 * an {@link IOException} naming the folder.
 */
public final class ImageFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    /** The extensions taken as images (lower case): those Java's ImageIO decodes. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff");

    /** Image extensions torchvision takes that Java cannot decode: reported, not silently ignored. */
    private static final Set<String> UNDECODABLE_EXTENSIONS = Set.of("webp", "ppm", "pgm");

    /** One image and its class index. */
    public record Sample(Path path, int label) {
    }

    /** A file left out, and why. */
    public record Skipped(Path path, String reason) {
    }

    private final Path root;
    private final List<String> classes;
    private final List<Sample> samples;
    private final List<Skipped> skipped;

    private ImageFolder(Path root, List<String> classes, List<Sample> samples, List<Skipped> skipped) {
        this.root = root;
        this.classes = List.copyOf(classes);
        this.samples = List.copyOf(samples);
        this.skipped = List.copyOf(skipped);
    }

    /** Lists {@code root}'s classes and images, checking each image's header (see the class comment). */
    public static ImageFolder scan(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such image folder");
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root + " (an image folder must hold one sub-folder per class)");
        }
        List<String> classes = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().forEach(classes::add);
        }
        if (classes.isEmpty()) {
            throw new IOException(root + ": no class sub-folders (expected one folder per class, e.g. "
                    + root.resolve("ants") + "/*.jpg)");
        }
        List<Sample> samples = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            int before = samples.size();
            for (Path file : imageFiles(root.resolve(classes.get(label)), skipped)) {
                String problem = headerProblem(file);
                if (problem == null) {
                    samples.add(new Sample(file, label));
                } else {
                    skip(skipped, file, problem);
                }
            }
            if (samples.size() == before) {
                empty.add(classes.get(label));
            }
        }
        if (!empty.isEmpty()) {
            throw new IOException(root + ": no readable image in the class folder(s) " + empty + " (extensions taken: "
                    + IMAGE_EXTENSIONS + (skipped.isEmpty() ? "" : "; skipped: " + skipped) + ")");
        }
        return new ImageFolder(root, classes, samples, skipped);
    }

    /** The folder scanned. */
    public Path root() {
        return root;
    }

    /** The class names, sorted; a sample's label indexes this list. */
    public List<String> classes() {
        return classes;
    }

    /** Every image taken, class by class, sorted by path within a class. */
    public List<Sample> samples() {
        return samples;
    }

    /** Number of images taken. */
    public int size() {
        return samples.size();
    }

    /** Images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (Sample s : samples) {
            counts[s.label()]++;
        }
        return counts;
    }

    /** The files left out because they cannot be read as images (each also logged as a warning). */
    public List<Skipped> skipped() {
        return skipped;
    }

    @Override
    public String toString() {
        return "ImageFolder(" + root + ", " + size() + " images, classes " + classes + ")";
    }

    /** The image files under a class folder, at any depth, sorted by path; undecodable kinds go to skipped. */
    private static List<Path> imageFiles(Path classDir, List<Skipped> skipped) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            for (Iterator<Path> it = walk.filter(Files::isRegularFile).sorted().iterator(); it.hasNext(); ) {
                Path file = it.next();
                String ext = extension(file);
                if (IMAGE_EXTENSIONS.contains(ext)) {
                    files.add(file);
                } else if (UNDECODABLE_EXTENSIONS.contains(ext)) {
                    skip(skipped, file, "." + ext + " images cannot be decoded by Java's ImageIO");
                }
            }
        }
        return files;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static void skip(List<Skipped> skipped, Path file, String reason) {
        LOG.warn("skipping {}: {}", file, reason);
        skipped.add(new Skipped(file, reason));
    }

    /** Null when the file passes {@link ImagePreprocessing#decode}'s header checks, else why not (without the path). */
    private static String headerProblem(Path file) {
        try {
            ImageFile.checkHeader(file);
            return null;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            String prefix = file + ": ";
            return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        }
    }
}
