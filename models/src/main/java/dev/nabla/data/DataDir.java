package dev.nabla.data;

import java.nio.file.Path;

/**
 * Finds the folder that holds the data sets (MNIST lives in its {@code mnist/} subfolder): the path given
 * explicitly (the apps' {@code --data-dir} option) if any, else the environment variable {@code NABLA_DATA},
 * else {@code ./data}. Relative paths are taken from the working directory. The folder need not exist yet:
 * {@link MnistDownloader} creates it.
 */
public final class DataDir {
    /** The environment variable naming the data folder. */
    public static final String ENV = "NABLA_DATA";

    private DataDir() {
    }

    /** The data folder, absolute; {@code explicit} (may be null) wins over {@code NABLA_DATA} and {@code ./data}. */
    public static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(ENV));
    }

    /** As {@link #resolve(Path)} with the environment variable's value passed in (null or blank when unset). */
    static Path resolve(Path explicit, String envValue) {
        Path chosen = explicit != null ? explicit
                : envValue != null && !envValue.isBlank() ? Path.of(envValue)
                : Path.of("data");
        return chosen.toAbsolutePath().normalize();
    }
}
