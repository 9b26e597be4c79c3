package dev.nabla.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the real shared data: the environment variable {@code NABLA_DATA}, else {@code ./data} at the
 * repository root, as the programs look for it. A relative value is taken
 * from the repository root (the nearest folder above the working directory holding {@code mvnw}), as CI sets it,
 * because Maven runs each module's tests from the module's folder. Fails loudly, never skips: a test that cannot
 * find its data is a broken setup, not a pass.
 */
public final class TestData {
    private static final String VARIABLE = "NABLA_DATA";

    private TestData() {
    }

    /** The data folder, checked to exist. */
    public static Path dir() {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            value = "data";
        }
        Path dir = Path.of(value);
        if (!dir.isAbsolute()) {
            dir = repositoryRoot().resolve(dir);
        }
        dir = dir.normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the test data folder " + dir + " does not exist; set " + VARIABLE
                    + " to the shared data folder, e.g. " + VARIABLE + "=../shared/data (relative to the repository"
                    + " root) or an absolute path");
        }
        return dir;
    }

    /** A file or folder inside the data folder, checked to exist. */
    public static Path file(String relative) {
        Path path = dir().resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("test data " + path + " is missing (" + VARIABLE + " is "
                    + System.getenv(VARIABLE) + ")");
        }
        return path;
    }

    private static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        return start;
    }
}
