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
}
