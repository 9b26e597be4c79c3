package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.BackendProvider;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Registers the plain-Java backend as {@code cpu}: always available, and the default (priority 30, above
 * {@code nd4j}'s 20), because it is the faster of the two on the default jobs measured on the machines this
 * project runs on (digits, captioning, transfer: see bench/README.md); {@code nd4j} serves when named.
 */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Backend create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Backend create(int threads) {
        if (!Simd.ENABLED) {
            LoggerFactory.getLogger(CpuBackendProvider.class).info("cpu backend: plain loops; start the JVM with"
                    + " --add-modules jdk.incubator.vector for the faster Vector API matrix multiply");
        }
        // The work is cut as on the whole machine (or -Dnabla.cpu.splits), whatever the threads: same results.
        int splits = Integer.getInteger("nabla.cpu.splits", Runtime.getRuntime().availableProcessors());
        return new CpuBackend(threads, splits);
    }
}
