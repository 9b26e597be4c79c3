package dev.nabla.onnx;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensors;
import dev.nabla.module.Add;
import dev.nabla.module.AvgPool2d;
import dev.nabla.module.BatchNorm1d;
import dev.nabla.module.BatchNorm2d;
import dev.nabla.module.ChannelAffine;
import dev.nabla.module.Clip;
import dev.nabla.module.Concat;
import dev.nabla.module.Conv2d;
import dev.nabla.module.Dropout;
import dev.nabla.module.Flatten;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.Graph;
import dev.nabla.module.Init;
import dev.nabla.module.LeakyReLU;
import dev.nabla.module.Linear;
import dev.nabla.module.MaxPool2d;
import dev.nabla.module.Mul;
import dev.nabla.module.Pad;
import dev.nabla.module.ReLU;
import dev.nabla.module.ReLU6;
import dev.nabla.module.Reshape;
import dev.nabla.module.Sequential;
import dev.nabla.module.Sigmoid;
import dev.nabla.module.Softmax;
import dev.nabla.module.Sub;
import dev.nabla.module.Tanh;
import java.util.Random;

/** A graph built in Nabla with every module the exporter writes, for the round trip and ONNX Runtime. */
final class ExportedModules {
    /** Its input shape. */
    static final Shape INPUT = Shape.of(3, 3, 9, 8);

    private ExportedModules() {
    }

    /**
     * x (N, 3, 9, 8) -> a nested Sequential (conv 3x3 pad 1 with bias, batch norm, ReLU) -> {the same depthwise conv
     * used twice -> sigmoid / tanh, zero pad -> conv without bias -> ReLU6} -> concat -> mul, sub, leaky ReLU, clip,
     * channel affine -> max pool 3x3/2 pad 1, average pool (both divisors) -> reshape -> flatten -> linear -> batch
     * norm 1-d -> dropout -> linear without bias -> softmax; and a global-average-pooled side branch added in.
     */
    static Graph build(Backend be, DType dtype, long seed) {
        Random rng = new Random(seed);
        Conv2d depthwise = new Conv2d(be, dtype, 4, 4, 3, dev.nabla.nn.Conv2d.Spec.of(1, 1).withGroups(4), rng);
        Sequential stem = Sequential.named()
                .add("conv", new Conv2d(be, dtype, 3, 4, 3, 1, 1, rng))
                .add("bn", new BatchNorm2d(Tensors.uniform(be, dtype, rng, 0.5, 1.5, 4), Tensors.randn(be, dtype, rng,
                        0.1, 4), Tensors.randn(be, dtype, rng, 0.1, 4), Tensors.uniform(be, dtype, rng, 0.5, 2, 4), 1e-5,
                        0.1))
                .add("relu", new ReLU())
                .build();
        return Graph.builder().input("x")
                .node("stem", stem, "x")
                .node("dw1", depthwise, "stem")
                .node("sig", new Sigmoid(), "dw1")
                .node("dw2", depthwise, "stem")
                .node("tanh", new Tanh(), "dw2")
                .node("pad", new Pad(new dev.nabla.nn.Pad.Spec(1, 0, 1, 2)), "stem")
                .node("conv2", new Conv2d(be, dtype, 4, 4, 3, dev.nabla.nn.Conv2d.Spec.of(1, 0), Init.he(), false, rng),
                        "pad")
                .node("relu6", new ReLU6(), "conv2")
                .node("cat", new Concat(), "sig", "tanh", "relu6")
                .node("mul", new Mul(), "cat", "cat")
                .node("sub", new Sub(), "mul", "cat")
                .node("leaky", new LeakyReLU(0.2), "sub")
                .node("clip", new Clip(-0.25, 1.5), "leaky")
                .node("affine", new ChannelAffine(Tensors.randn(be, dtype, rng, 1, 12), Tensors.randn(be, dtype, rng, 1,
                        12)), "clip")
                .node("max", new MaxPool2d(new dev.nabla.nn.MaxPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1)), "affine")
                .node("avg", new AvgPool2d(new dev.nabla.nn.AvgPool2d.Spec(2, 2, 1, 1, 1, 0, 0, 1, false)), "max")
                .node("avg2", new AvgPool2d(2, 2, 1), "avg")
                .node("reshape", new Reshape(12, -1), "avg2")
                .node("flat", new Flatten(), "reshape")
                .node("fc1", new Linear(be, dtype, 12 * 3 * 3, 6, rng), "flat")
                .node("bn1d", new BatchNorm1d(Tensors.uniform(be, dtype, rng, 0.5, 1.5, 6), Tensors.randn(be, dtype,
                        rng, 0.1, 6), Tensors.randn(be, dtype, rng, 0.1, 6), Tensors.uniform(be, dtype, rng, 0.5, 2, 6),
                        1e-3, 0.2), "fc1")
                .node("drop", new Dropout(0.3, seed), "bn1d")
                .node("fc2", new Linear(Tensors.randn(be, dtype, rng, 0.3, 6, 5), null), "drop")
                .node("gap", new GlobalAvgPool(), "stem")
                .node("side", new Linear(be, dtype, 4, 5, rng), "gap")
                .node("scores", new Add(), "fc2", "side")
                .node("prob", new Softmax(), "scores")
                .build();
    }
}
