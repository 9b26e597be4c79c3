package dev.nabla.nd4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import java.util.Optional;

/**
 * The nd4j backend for tests. Where its natives cannot load the tests fail, except in the
 * {@code cuda} build on a machine without a GPU, which sets {@code nabla.test.nd4j.optional} and
 * skips them with the reason.
 */
final class Nd4jTestBackends {
    private Nd4jTestBackends() {
    }

    static Backend nd4j() {
        Optional<String> reason = new Nd4jBackendProvider().unavailableReason();
        if (reason.isPresent() && Boolean.getBoolean("nabla.test.nd4j.optional")) {
            assumeTrue(false, "Skipping: the nd4j backend cannot run here (" + reason.get() + ")");
        }
        return Backends.get("nd4j");
    }
}
