package dev.nabla.bench;

import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Convolution forward and backward at the W1 and W2 shapes and two of W6's depthwise layers, per backend and dtype. */
public class ConvBenchmark extends BackendBenchmark {
    /** W1, W2, or the depthwise DW1 (stride 1) and DW2 (stride 2). */
    @Param({"W1", "W2", "DW1", "DW2"})
    public String shape;

    private ConvCase conv;
    private ConvCase.Inputs in;
    private Conv2d.Cache cache;

    /** Builds the inputs and one forward's cache for the backward benchmark. */
    @Setup
    public void setup() {
        conv = ConvCase.valueOf(shape);
        in = conv.inputs(backend(), dtype());
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
