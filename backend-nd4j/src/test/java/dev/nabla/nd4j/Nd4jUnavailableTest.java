package dev.nabla.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.Backends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where ND4J's natives cannot load, {@code nd4j} reports itself unavailable with the reason and
 * selection falls back to {@code cpu}.
 *
 * <p>Runs only in its own JVM (the {@code natives-missing} execution in backend-nd4j/pom.xml), where
 * JavaCPP is told to look for a build of libnd4j that does not exist.
 */
class Nd4jUnavailableTest {
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    @BeforeEach
    void onlyWithNativesMissing() {
        assumeTrue("-missing-on-purpose".equals(System.getProperty(EXTENSION)),
                "runs only in the natives-missing execution, where " + EXTENSION + " names no real build");
    }

    @Test
    void providerReportsWhyAndSelectionFallsBackToCpu() {
        String reason = new Nd4jBackendProvider().unavailableReason().orElseThrow();
        assertTrue(reason.contains("native libraries did not load"), reason);
        assertFalse(Backends.available().contains("nd4j"));
        assertEquals("cpu", Backends.get().name());
    }

    @Test
    void askingForNd4jByNameFailsWithTheReason() {
        String msg = assertThrows(IllegalArgumentException.class, () -> Backends.get("nd4j")).getMessage();
        assertTrue(msg.contains("cannot run here") && msg.contains("Available backends: cpu"), msg);
    }
}
