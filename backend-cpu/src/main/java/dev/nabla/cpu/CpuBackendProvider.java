package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.BackendProvider;
import java.util.Optional;

/** Registers the plain-Java backend as {@code cpu}: always available, lowest priority. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Backend create() {
        return new CpuBackend(Runtime.getRuntime().availableProcessors());
    }
}
