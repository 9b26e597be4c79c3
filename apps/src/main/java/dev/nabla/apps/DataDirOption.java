package dev.nabla.apps;

import dev.nabla.data.DataDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option: else {@code NABLA_DATA}, else {@code ./data}. */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the data sets (default: $NABLA_DATA, else ./data).")
    Path dir;

    /** The data folder to use. */
    Path resolve() {
        return DataDir.resolve(dir);
    }
}
