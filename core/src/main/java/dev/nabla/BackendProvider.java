package dev.nabla;

import java.util.Optional;

/**
 * Service-provider entry of a backend module, listed in
 * {@code META-INF/services/dev.nabla.BackendProvider} and found by {@link Backends}.
 */
public interface BackendProvider {

    /** The name users select the backend by. */
    String name();

    /** Higher wins when no backend is named. */
    int priority();

    /** Empty when the backend can run here; otherwise why not (natives that failed to load, no device). */
    Optional<String> unavailableReason();

    /** Creates the backend; called at most once per process by {@link Backends}. */
    Backend create();

    /**
     * Creates the backend with {@code threads} intra-op threads, for a process that runs several jobs side by side
     * (a Spark executor running one task per core); called at most once per thread count by {@link Backends}. A
     * backend whose threads are set elsewhere (ND4J: {@code OMP_NUM_THREADS}) keeps this default.
     */
    default Backend create(int threads) {
        return create();
    }
}
