package dev.nabla.nd4j;

import dev.nabla.Backend;
import dev.nabla.BackendProvider;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Registers the ND4J backend as {@code nd4j} when its native libraries load on this machine, with priority
 * 20, below {@code cpu}'s 30: it serves when named ({@code --backend nd4j}), and is the default only where
 * {@code cpu} is not on the class path.
 */
public final class Nd4jBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Probe.REASON;
    }

    @Override
    public Backend create() {
        Probe.REASON.ifPresent(r -> {
            throw new IllegalStateException("nd4j backend cannot run here: " + r);
        });
        return new Nd4jBackend();
    }

    /** Loads ND4J once, on first use: the class initializer runs when a probe is first asked for. */
    private static final class Probe {
        static final Optional<String> REASON = probe();

        private static Optional<String> probe() {
            try {
                // Allocating and computing forces the backend, its native libraries and BLAS to load.
                double sum = Nd4j.ones(DataType.FLOAT, 2).sumNumber().doubleValue();
                return sum == 2 ? Optional.empty()
                        : Optional.of("ND4J loaded but computed 1 + 1 = " + sum + " on " + Nd4j.getBackend());
            } catch (RuntimeException | LinkageError e) {
                // Natives missing for this platform, a CPU without the instructions they need, no CUDA device.
                return Optional.of("ND4J's native libraries did not load (" + rootCause(e) + "); they need the"
                        + " nd4j.classifier built for this platform, or with -Pcuda a GPU and its driver;"
                        + " see backend-nd4j/README.md");
            }
        }

        private static String rootCause(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }
}
