package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every Nabla benchmark shares: the backend and dtype parameters and modest JMH defaults (a run of
 * all benchmarks takes minutes). A backend that is not on the class path fails its own parameter
 * combinations and JMH goes on with the others. The fork resolves the Vector API so the {@code cpu}
 * backend runs its fast matrix multiply.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public abstract class BackendBenchmark {
    /** Backend name, as for {@code --backend}. */
    @Param({"cpu", "nd4j"})
    public String backend;

    /** FLOAT32 or FLOAT64. */
    @Param({"FLOAT32", "FLOAT64"})
    public String dtype;

    /** The backend named by the parameter. */
    protected Backend backend() {
        return Backends.get(backend);
    }

    /** The dtype named by the parameter. */
    protected DType dtype() {
        return DType.valueOf(dtype);
    }
}
