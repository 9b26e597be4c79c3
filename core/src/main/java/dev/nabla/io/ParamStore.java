package dev.nabla.io;

import dev.nabla.DType;
import dev.nabla.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Named parameters on disk as a folder: one NumPy {@code <name>.npy} per tensor (float32 or
 * float64, as the tensor) and a {@code model.json} describing them, readable from Python with
 * {@code numpy.load}. A folder is replaced all or nothing: written beside the target, then renamed.
 */
public final class ParamStore {
    /** The description file inside a parameter folder. */
    public static final String DESCRIPTION = "model.json";

    private ParamStore() {
    }

    /** Writes {@code params} and {@code descriptionJson} into the folder {@code dir}, replacing it whole. */
    public static void save(Path dir, Map<String, Tensor> params, String descriptionJson) throws IOException {
        writeFolder(dir, temp -> {
            writeTensors(temp, params);
            Files.writeString(temp.resolve(DESCRIPTION), descriptionJson, StandardCharsets.UTF_8);
        });
    }

    /** What goes into a folder written by {@link #writeFolder}: files written into the (temporary) folder given. */
    @FunctionalInterface
    public interface FolderContent {
        /** Writes the content into {@code folder}. */
        void write(Path folder) throws IOException;
    }

    /**
     * Replaces the folder {@code dir} whole: {@code content} is written into a new folder beside it, which is then
     * renamed onto it; on failure the temporary folder is deleted and the old one stays.
     */
    public static void writeFolder(Path dir, FolderContent content) throws IOException {
        Path target = dir.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectory(temp);
            content.write(temp);
            KillPoint.reach("folder:" + target.getFileName());
            replace(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
    }

    /** One {@code <name>.npy} per tensor in {@code folder} (float32 or float64, as the tensor). */
    public static void writeTensors(Path folder, Map<String, Tensor> tensors) throws IOException {
        for (Map.Entry<String, Tensor> p : tensors.entrySet()) {
            Tensor t = p.getValue();
            Path file = folder.resolve(fileName(p.getKey()));
            if (t.dtype() == DType.FLOAT64) {
                Npy.write(file, t.shape(), t.toDoubleArray());
            } else {
                Npy.write(file, t.shape(), t.toFloatArray());
            }
        }
    }

    /**
     * Overwrites each tensor of {@code into} with the array of the same name in {@code dir}, all or nothing: every
     * file is read and checked (present, same shape) before any tensor changes, and an array in the folder that
     * {@code into} has no tensor for is an error too (as PyTorch's {@code strict=True}), naming it.
     */
    public static void load(Path dir, Map<String, Tensor> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no saved parameters here (expected a folder)");
        }
        Map<String, NpyArray> read = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : into.entrySet()) {
            Path file = dir.resolve(fileName(p.getKey()));
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "parameter '" + p.getKey() + "' is missing");
            }
            NpyArray a = Npy.read(file);
            if (!a.shape().equals(p.getValue().shape())) {
                throw new IOException(file + ": parameter '" + p.getKey() + "' has shape " + a.shape()
                        + " on disk but the model expects " + p.getValue().shape());
            }
            read.put(p.getKey(), a);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".npy") && !into.containsKey(name.substring(0, name.length() - 4))) {
                    throw new IOException(f + ": the folder holds '" + name.substring(0, name.length() - 4)
                            + "', which the model has no parameter or buffer for (saved from another model?)");
                }
            }
        }
        for (Map.Entry<String, Tensor> p : into.entrySet()) {
            Tensor t = p.getValue();
            NpyArray a = read.get(p.getKey());
            try (Tensor loaded = t.dtype() == DType.FLOAT64
                    ? t.backend().fromArray(a.asDoubles(), t.dtype(), t.shape())
                    : t.backend().fromArray(a.asFloats(), t.dtype(), t.shape())) {
                t.assign(loaded);
            }
        }
    }

    /** The description JSON of a saved folder. */
    public static String description(Path dir) throws IOException {
        return Files.readString(dir.resolve(DESCRIPTION), StandardCharsets.UTF_8);
    }

    private static String fileName(String param) {
        if (!param.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("parameter name '" + param + "' cannot be a file name");
        }
        return param + ".npy";
    }

    /** Renames temp onto target; an existing target is moved aside first and deleted after. */
    private static void replace(Path temp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.move(target, old);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    /** Deletes a folder and everything in it; a missing one is no error. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
