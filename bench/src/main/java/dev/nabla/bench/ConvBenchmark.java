package dev.nabla.bench;

import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
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

/**
 * Convolution forward and backward at the W1 and W2 shapes, per backend and dtype. A backend that is
 * not on the class path fails its own parameter combinations and JMH goes on with the others.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ConvBenchmark {
    /** Backend name, as for {@code --backend}. */
    @Param({"cpu", "nd4j"})
    public String backend;

    /** FLOAT32 or FLOAT64. */
    @Param({"FLOAT32", "FLOAT64"})
    public String dtype;

    /** W1 or W2. */
    @Param({"W1", "W2"})
    public String shape;

    private ConvCase conv;
    private ConvCase.Inputs in;
    private Conv2d.Cache cache;

    /** Builds the inputs and one forward's cache for the backward benchmark. */
    @Setup
    public void setup() {
        conv = ConvCase.valueOf(shape);
        in = conv.inputs(Backends.get(backend), DType.valueOf(dtype));
        cache = forward().cache();
    }

    /** Forward only. */
    @Benchmark
    public Forward<Conv2d.Cache> forward() {
        return Conv2d.forward(in.x(), in.w(), in.b(), conv.spec);
    }

    /** Backward only (dx, dw, db) from a saved forward. */
    @Benchmark
    public Conv2d.Grads backward() {
        return Conv2d.backward(in.dout(), cache);
    }
}
