package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The square matrix multiply through {@link Backend#matmul}, 2048 by default (the SGEMM workload). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class MatmulBenchmark {
    /** Backend name, as for {@code --backend}. */
    @Param({"cpu", "nd4j"})
    public String backend;

    /** FLOAT32 or FLOAT64. */
    @Param({"FLOAT32", "FLOAT64"})
    public String dtype;

    /** Rows = columns = inner dimension. */
    @Param({"2048"})
    public int size;

    private Backend be;
    private Tensor a;
    private Tensor b;

    /** Two seeded random square matrices. */
    @Setup
    public void setup() {
        be = Backends.get(backend);
        Random rng = new Random(Fixtures.SEED);
        a = Fixtures.gaussian(be, DType.valueOf(dtype), rng, 1, size, size);
        b = Fixtures.gaussian(be, DType.valueOf(dtype), rng, 1, size, size);
    }

    /** One product; JMH keeps the result alive. */
    @Benchmark
    public Tensor matmul() {
        return be.matmul(a, false, b, false);
    }
}
