package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.BackendProvider;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.ReLU;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ServiceLoader selection, with a test-only provider "broken" that can never run (registered in test resources). */
class BackendSelectionTest {

    /** A provider whose natives "failed to load": listed, never selected. */
    public static final class BrokenProvider implements BackendProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.of("natives failed to load: libbroken.so not found");
        }

        @Override
        public Backend create() {
            throw new AssertionError("an unavailable backend must never be created");
        }
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void highestPriorityAvailableProviderWinsWhenNoneIsNamed() {
        assertEquals("cpu", Backends.get().name(), "broken has a higher priority but cannot run");
        assertEquals(java.util.List.of("cpu"), Backends.available());
    }

    @Test
    void systemPropertyNamesTheBackend() {
        System.setProperty(Backends.PROPERTY, "cpu");
        assertSame(Backends.get("cpu"), Backends.get());
        System.setProperty(Backends.PROPERTY, "nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backends::get);
        assertTrue(e.getMessage().contains("Unknown backend 'nope'"), e.getMessage());
    }

    @Test
    void unavailableBackendByNameSaysWhyAndListsTheOthers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("broken"));
        assertTrue(e.getMessage().contains("libbroken.so"), e.getMessage());
        assertTrue(e.getMessage().contains("Available backends: cpu"), e.getMessage());
    }

    @Test
    void tensorOfAnotherBackendIsRejectedAndCopyToMovesIt() {
        Backend cpu = Backends.get("cpu");
        Backend other = new CpuBackend(1); // a second instance stands in for a foreign backend
        Tensor x = other.fromArray(new double[] {-1, 2}, DType.FLOAT64, Shape.of(2));
        Tensor dout = cpu.fromArray(new double[] {1, 1}, DType.FLOAT64, Shape.of(2));
        var cache = ReLU.forward(x).cache();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReLU.backward(dout, cache));
        assertTrue(e.getMessage().contains("copyTo"), e.getMessage());
        Tensor moved = x.copyTo(cpu);
        assertEquals(2, ReLU.forward(moved).out().get(1));
    }
}
