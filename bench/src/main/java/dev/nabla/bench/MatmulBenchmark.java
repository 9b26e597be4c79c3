package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.Tensor;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** The square matrix multiply through {@link Backend#matmul}, 2048 by default (the SGEMM workload). */
public class MatmulBenchmark extends BackendBenchmark {
    /** Rows = columns = inner dimension. */
    @Param({"2048"})
    public int size;

    private Backend be;
    private Tensor a;
    private Tensor b;

    /** Two seeded random square matrices. */
    @Setup
    public void setup() {
        be = backend();
        Random rng = new Random(Fixtures.SEED);
        a = Fixtures.gaussian(be, dtype(), rng, 1, size, size);
        b = Fixtures.gaussian(be, dtype(), rng, 1, size, size);
    }

    /** One product; JMH keeps the result alive. */
    @Benchmark
    public Tensor matmul() {
        return be.matmul(a, false, b, false);
    }
}
