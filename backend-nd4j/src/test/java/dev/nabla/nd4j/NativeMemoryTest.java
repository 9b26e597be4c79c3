package dev.nabla.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 convolution forward + backward passes must not grow the process's native memory without
 * bound.
 *
 * <p>Native memory is measured as the resident set size (VmRSS of /proc/self/status, so Linux only)
 * less the committed Java heap, after a full collection that lets ND4J free the buffers of
 * collected arrays. It is measured after a warm-up (ND4J's caches, the JIT, oneDNN's generated
 * kernels, the allocator's arenas reach their working size) and again after the 10,000 iterations.
 * Measured here it grows by under 15 MB; the bound is {@link #BOUND_MB}. A leak of one iteration's
 * results (about 100 KB for these shapes) would add 1 GB, and so would the allocator's fragmentation
 * if the backend did not ask for collections (see {@link Nd4jBackend}): 900 MB was measured.
 *
 * <p>The loop runs twice: closing every result (the kernels close their own temporaries, so nothing
 * is left behind), and leaving every result to the garbage collector, as a training loop that never
 * calls close does.
 */
class NativeMemoryTest {
    private static final int ITERATIONS = 10_000;
    private static final int WARM_UP = 2_000;
    private static final long BOUND_MB = 64;
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Backend nd4j = Nd4jTestBackends.nd4j();
    private final Random rng = new Random(7);
    private final Tensor x = Tensors.randn(nd4j, DType.FLOAT32, rng, 1, 8, 8, 16, 16);
    private final Tensor w = Tensors.randn(nd4j, DType.FLOAT32, rng, 0.3, 16, 8, 3, 3);
    private final Tensor b = Tensors.randn(nd4j, DType.FLOAT32, rng, 1, 16);
    private final Tensor dout = Tensors.randn(nd4j, DType.FLOAT32, rng, 1, 8, 16, 8, 8);
    /** Asymmetric padding, so the explicitly padded copies are exercised too. */
    private final Conv2d.Spec spec = new Conv2d.Spec(2, 2, 1, 1, 0, 0);

    @Test
    void closingEveryResultKeepsNativeMemoryFlat() throws Exception {
        assertBoundedGrowth(true);
    }

    @Test
    void leavingResultsToTheGarbageCollectorKeepsNativeMemoryBounded() throws Exception {
        assertBoundedGrowth(false);
    }

    private void assertBoundedGrowth(boolean close) throws Exception {
        assumeTrue(Files.isReadable(STATUS), "native memory is measured through /proc/self/status (Linux only)");
        loop(WARM_UP, close);
        long before = nativeMb();
        loop(ITERATIONS, close);
        long grown = nativeMb() - before;
        assertTrue(grown < BOUND_MB, "native memory grew by " + grown + " MB over " + ITERATIONS
                + " conv forward+backward iterations (close=" + close + "), bound " + BOUND_MB + " MB");
    }

    private void loop(int iterations, boolean close) {
        for (int i = 0; i < iterations; i++) {
            Forward<Conv2d.Cache> f = Conv2d.forward(x, w, b, spec);
            Conv2d.Grads g = Conv2d.backward(dout, f.cache());
            if (close) {
                f.out().close();
                g.dx().close();
                g.dw().close();
                g.db().close();
            }
        }
    }

    /** Resident memory less the committed Java heap, once collected arrays have been freed. */
    private static long nativeMb() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(300); // ND4J's deallocator threads free the buffers of the collected arrays
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 - heapMb;
            }
        }
        throw new IllegalStateException("no VmRSS line in " + STATUS);
    }
}
