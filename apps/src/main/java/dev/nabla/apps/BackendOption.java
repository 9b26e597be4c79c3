package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.Backends;
import picocli.CommandLine.Option;

/** The {@code --backend} option every sub-command shares. */
final class BackendOption {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (cpu, nd4j). Default: -Dnabla.backend, else NABLA_BACKEND, else the best available.")
    String name;

    /** The chosen backend; an unknown or unusable name fails with the list of available ones. */
    Backend resolve() {
        return name == null ? Backends.get() : Backends.get(name);
    }
}
