package dev.nabla.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.check.GradientCheck;
import dev.nabla.module.Add;
import dev.nabla.module.AvgPool2d;
import dev.nabla.module.BatchNorm1d;
import dev.nabla.module.BatchNorm2d;
import dev.nabla.module.ChannelAffine;
import dev.nabla.module.Clip;
import dev.nabla.module.Classifier;
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
import dev.nabla.module.Mode;
import dev.nabla.module.Module;
import dev.nabla.module.ModuleException;
import dev.nabla.module.Mul;
import dev.nabla.module.Pad;
import dev.nabla.module.ReLU;
import dev.nabla.module.ReLU6;
import dev.nabla.module.Reshape;
import dev.nabla.module.Sequential;
import dev.nabla.module.Sigmoid;
import dev.nabla.module.Softmax;
import dev.nabla.module.Sub;
import dev.nabla.module.Summary;
import dev.nabla.module.Tanh;
import dev.nabla.nn.Forward;
import dev.nabla.train.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module API on one backend (every backend runs it): a graph with every module, fan-out, a module used
 * twice and a frozen part gives the numeric gradients of every parameter in FLOAT64; modes, batch-norm running
 * statistics, seeded dropout, summaries, saving and loading, L2 by kind, and the errors of a mis-wired network.
 */
public abstract class ModuleConformanceKit {
    private static final DType F64 = DType.FLOAT64;
    private static final DType F32 = DType.FLOAT32;

    /** The backend under test. */
    protected abstract Backend backend();

    /**
     * input (4, 3, 6, 6) -> conv 3x3 pad 1 -> bn -> relu -> {conv 1x1 -> sigmoid, the same conv 1x1 -> tanh, relu6}
     * -> concat -> add(concat, concat) -> avg pool 3x3 stride 2 pad 1 (both divisors) -> max pool -> flatten -> linear
     * -> tanh -> bn1d -> dropout -> linear, and a global-average-pooled side branch added to the scores. (A bias
     * straight before a batch norm would have a zero gradient, which a relative error cannot check.)
     */
    private Graph everyModule(DType dtype, long seed) {
        Random rng = new Random(seed);
        Backend be = backend();
        Conv2d shared = new Conv2d(be, dtype, 4, 4, 1, 1, 0, rng);
        return Graph.builder().input("x")
                .node("conv", new Conv2d(be, dtype, 3, 4, 3, 1, 1, rng), "x")
                .node("bn", bn2d(be, dtype, 4, rng), "conv")
                .node("relu", new ReLU(), "bn")
                .node("a", shared, "relu")
                .node("sig", new Sigmoid(), "a")
                .node("b", shared, "relu")
                .node("tanh", new Tanh(), "b")
                .node("relu6", new ReLU6(), "conv")
                .node("cat", new Concat(), "sig", "tanh", "relu6")
                .node("twice", new Add(), "cat", "cat")
                .node("avg", new AvgPool2d(new dev.nabla.nn.AvgPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1, false)), "twice")
                .node("avg2", new AvgPool2d(2, 1, 1), "avg")
                .node("max", new MaxPool2d(2, 2), "avg2")
                .node("flat", new Flatten(), "max")
                .node("fc1", new Linear(be, dtype, 12 * 2 * 2, 6, rng), "flat")
                .node("tanh1d", new Tanh(), "fc1")
                .node("bn1d", bn1d(be, dtype, 6, rng), "tanh1d")
                .node("drop", new Dropout(0.3, seed), "bn1d")
                .node("fc2", new Linear(be, dtype, 6, 3, rng), "drop")
                .node("gap", new GlobalAvgPool(), "relu")
                .node("side", new Linear(be, dtype, 4, 3, rng), "gap")
                .node("scores", new Add(), "fc2", "side")
                .build();
    }

    /** A batch norm whose scale and shift are not 1 and 0, so that their gradients are exercised in general. */
    private static BatchNorm2d bn2d(Backend be, DType dtype, int c, Random rng) {
        return new BatchNorm2d(Tensors.uniform(be, dtype, rng, 0.5, 1.5, c), Tensors.randn(be, dtype, rng, 0.1, c),
                be.zeros(dtype, Shape.of(c)), Tensors.uniform(be, dtype, rng, 1, 1, c), 1e-5, 0.1);
    }

    private static BatchNorm1d bn1d(Backend be, DType dtype, int c, Random rng) {
        return new BatchNorm1d(Tensors.uniform(be, dtype, rng, 0.5, 1.5, c), Tensors.randn(be, dtype, rng, 0.1, c),
                be.zeros(dtype, Shape.of(c)), Tensors.uniform(be, dtype, rng, 1, 1, c), 1e-5, 0.1);
    }

    private Tensor input(DType dtype, long seed) {
        return Tensors.randn(backend(), dtype, new Random(seed), 1, 4, 3, 6, 6);
    }

    /** Four samples: with two, a batch norm over the batch maps every input to +-1 and passes no gradient back. */
    private static final int[] LABELS = {2, 0, 1, 1};

    @Test
    void everyParameterOfAGraphWithEveryModuleHasItsNumericGradient() {
        Graph net = everyModule(F64, 1);
        Dropout drop = (Dropout) net.children().get("drop");
        Classifier model = new Classifier(net, 0.01);
        Tensor x = input(F64, 2);
        Model.Loss loss = model.loss(x, LABELS);
        // The mask sequence restarts for every evaluation, so the numeric differences see the mask the backward did.
        java.util.function.DoubleSupplier f = () -> {
            drop.setCalls(0);
            return model.loss(x, LABELS).value();
        };
        assertEquals(net.parameters().size(), loss.grads().size(), "one gradient per parameter, the shared conv's once");
        for (Map.Entry<String, Tensor> p : model.params().entrySet()) {
            double[] numeric = GradientCheck.numericGradient(f, p.getValue(), GradientCheck.H);
            double[] analytic = loss.grads().get(p.getKey()).toDoubleArray();
            double err = GradientCheck.relError(analytic, numeric);
            assertTrue(err < 1e-6, p.getKey() + ": relative error " + err);
            double largest = java.util.Arrays.stream(analytic).map(Math::abs).max().orElseThrow();
            assertTrue(largest > 1e-4, p.getKey() + ": a gradient this small (" + largest + ") checks nothing");
        }
    }

    @Test
    void theGradientOfTheInputSumsEveryPathInEvalMode() {
        Graph net = everyModule(F64, 3);
        Tensor x = input(F64, 4);
        Tensor dout = Tensors.randn(backend(), F64, new Random(5), 1, 4, 3);
        Forward<?> f = net.forward(Mode.EVAL_GRAD, x);
        Tensor dx = net.backward(dout, f.cache(), new dev.nabla.module.Gradients())[0];
        double[] numeric = GradientCheck.numericGradient(() -> net.apply(x), x, dout, GradientCheck.H);
        assertTrue(GradientCheck.relError(dx.toDoubleArray(), numeric) < 1e-6);
    }

    @Test
    void inferenceKeepsNoCacheAndMatchesTheEvalForward() {
        Graph net = everyModule(F64, 6);
        Tensor x = input(F64, 7);
        Forward<?> infer = net.forward(Mode.INFER, x);
        assertNull(infer.cache());
        assertArrayEquals(net.forward(Mode.EVAL_GRAD, x).out().toDoubleArray(), infer.out().toDoubleArray(), 0);
        for (Module m : net.children().values()) {
            assertNull(m.forward(Mode.INFER, inputsFor(net, m, x)).cache(), m.kind() + " kept a cache in inference");
        }
    }

    /** The values a node of {@code net} reads, computed by running the graph up to them. */
    private static Tensor[] inputsFor(Graph net, Module m, Tensor x) {
        Graph.Node node = net.nodes().stream().filter(n -> n.module() == m).findFirst().orElseThrow();
        return node.inputs().stream().map(in -> in.equals("x") ? x : net.output(in, x)).toArray(Tensor[]::new);
    }

    @Test
    void batchNormUpdatesItsRunningStatisticsAsPyTorch() {
        // Channel 0 of x (N=4) = [1, 2, 3, 6]: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5, unbiased 14 / 3.
        BatchNorm1d bn = new BatchNorm1d(backend(), F64, 2);
        Tensor x = Tensors.of(backend(), F64, new double[] {1, 0, 2, 0, 3, 0, 6, 4}, 4, 2);
        Tensor y = bn.forward(Mode.TRAIN, x).out();
        assertArrayEquals(new double[] {0.3, 0.1}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.9 + 0.1 * 14 / 3.0, 0.9 + 0.1 * 4}, bn.runningVar().toDoubleArray(), 1e-12);
        assertEquals((1 - 3) / Math.sqrt(3.5 + 1e-5), y.get(0, 0), 1e-12, "training normalizes by the biased variance");
        Tensor z = bn.apply(x);
        assertEquals((1 - 0.3) / Math.sqrt(0.9 + 0.1 * 14 / 3.0 + 1e-5), z.get(0, 0), 1e-12);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Mode.TRAIN, Tensors.of(backend(), F64, new double[] {1, 2}, 1, 2))).getMessage();
        assertTrue(msg.contains("more than one value per channel"), msg);
    }

    @Test
    void dropoutRepeatsForItsSeedDropsAboutPAndPassesThroughInInference() {
        Tensor x = Tensors.of(backend(), F32, new double[20_000], 2, 10_000);
        x = x.copy();
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, 1);
        }
        Dropout a = new Dropout(0.3, 11);
        Dropout b = new Dropout(0.3, 11);
        double[] first = a.forward(Mode.TRAIN, x).out().toDoubleArray();
        assertArrayEquals(first, b.forward(Mode.TRAIN, x).out().toDoubleArray(), 0, "same seed, same mask");
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(a.forward(Mode.TRAIN, x).out()
                .toDoubleArray()), "the next pass draws a new mask");
        long kept = java.util.Arrays.stream(first).filter(v -> v != 0).count();
        assertEquals(0.7, kept / 20_000.0, 0.015);
        assertEquals((float) (1 / 0.7), (float) java.util.Arrays.stream(first).max().orElseThrow(), 1e-6);
        assertArrayEquals(x.toDoubleArray(), a.apply(x).toDoubleArray(), 0);
    }

    @Test
    void summaryGivesShapesParametersAndMultiplyAdds() {
        Random rng = new Random(0);
        Sequential net = Sequential.named()
                .add("conv", new Conv2d(backend(), F32, 1, 8, 3, 1, 1, rng))
                .add("bn", new BatchNorm2d(backend(), F32, 8))
                .add("relu", new ReLU())
                .add("pool", new MaxPool2d(2, 2))
                .add("flat", new Flatten())
                .add("fc", new Linear(backend(), F32, 8 * 14 * 14, 10, rng))
                .build();
        Summary s = net.summary(Shape.of(1, 1, 28, 28));
        assertEquals(List.of("conv", "bn", "relu", "pool", "flat", "fc"), s.rows().stream().map(Summary.Row::path)
                .toList());
        assertEquals(Shape.of(1, 8, 14, 14), s.rows().get(3).outputShape());
        assertEquals(Shape.of(1, 10), s.outputShape());
        assertEquals(8 * 9 + 8 + 16 + 1568 * 10 + 10, s.parameters());
        // conv: 8 x 28 x 28 outputs of 9 taps; bn: one per element; fc: 1,568 x 10.
        assertEquals(8L * 784 * 9 + 8 * 784 + 15_680, s.multiplyAdds());
        assertTrue(s.toString().contains("fc (Linear)") && s.toString().contains("(1, 10)"), s.toString());
    }

    @Test
    void aSavedModuleLoadsBackAndPredictsBitForBit(@TempDir Path dir) throws IOException {
        Graph net = everyModule(F32, 8);
        Classifier model = new Classifier(net, 0);
        Tensor x = input(F32, 9);
        for (int i = 0; i < 3; i++) {
            model.loss(x, LABELS); // moves the running statistics away from their start
        }
        net.save(dir.resolve("m"));
        Graph other = everyModule(F32, 10);
        assertNotEquals(java.util.Arrays.toString(net.apply(x).toFloatArray()),
                java.util.Arrays.toString(other.apply(x).toFloatArray()));
        other.load(dir.resolve("m"));
        assertArrayEquals(net.apply(x).toFloatArray(), other.apply(x).toFloatArray(), 0f);
        assertArrayEquals(((BatchNorm2d) net.children().get("bn")).runningVar().toFloatArray(),
                ((BatchNorm2d) other.children().get("bn")).runningVar().toFloatArray(), 0f);
    }

    @Test
    void l2AppliesToWeightsOnly() {
        Graph net = everyModule(F64, 12);
        Tensor x = input(F64, 13);
        double l2 = 0.05;
        Dropout drop = (Dropout) net.children().get("drop");
        Model.Loss plain = new Classifier(net, 0).loss(x, LABELS);
        drop.setCalls(0);
        Model.Loss reg = new Classifier(net, l2).loss(x, LABELS);
        double sum = 0;
        for (var e : net.parameters().entrySet()) {
            Tensor p = e.getValue().value();
            boolean weight = e.getKey().endsWith("weight") && !e.getKey().startsWith("bn");
            sum += weight ? p.sumOfSquares() : 0;
            double[] diff = reg.grads().get(e.getKey()).toDoubleArray();
            double[] base = plain.grads().get(e.getKey()).toDoubleArray();
            double[] w = p.toDoubleArray();
            for (int i = 0; i < diff.length; i++) {
                assertEquals(weight ? l2 * w[i] : 0, diff[i] - base[i], 1e-9, e.getKey());
            }
        }
        assertEquals(0.5 * l2 * sum, reg.value() - plain.value(), 1e-9);
    }

    @Test
    void aFrozenPrefixGetsNoGradientAndKeepsNoCache() {
        Random rng = new Random(14);
        Conv2d conv = new Conv2d(backend(), F64, 3, 4, 3, 1, 1, rng);
        Sequential net = Sequential.named().add("conv", conv).add("relu", new ReLU()).add("gap", new GlobalAvgPool())
                .add("fc", new Linear(backend(), F64, 4, 3, rng)).build();
        conv.setTrainable(false);
        Classifier model = new Classifier(net, 0.1);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(model.params().keySet()));
        Model.Loss loss = model.loss(input(F64, 15), LABELS);
        assertEquals(model.params().keySet(), loss.grads().keySet());
        assertEquals(4, model.state().size(), "the frozen parameters are still the model's state");
    }

    @Test
    void float32AgreesWithFloat64ThroughEveryModule() {
        Graph n64 = everyModule(F64, 16);
        Graph n32 = everyModule(F32, 16);
        Map<String, Tensor> s32 = n32.state();
        n64.state().forEach((k, v) -> s32.get(k).assign(v.toDType(F32)));
        Model.Loss l64 = new Classifier(n64, 0.01).loss(input(F64, 17), LABELS);
        Model.Loss l32 = new Classifier(n32, 0.01).loss(input(F32, 17), LABELS);
        assertEquals(l64.value(), l32.value(), 1e-4 * Math.abs(l64.value()));
        for (String k : l64.grads().keySet()) {
            double[] a = l64.grads().get(k).toDoubleArray();
            double[] b = l32.grads().get(k).toDoubleArray();
            double scale = 1e-12;
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            assertTrue(diff / scale < 1e-3, k + ": FLOAT32 differs from FLOAT64 by " + diff / scale);
        }
    }

    @Test
    void aMisWiredNetworkFailsAtItsFirstForwardNamingTheModuleAndBothShapes() {
        Random rng = new Random(18);
        Sequential block = Sequential.named().add("conv", new Conv2d(backend(), F32, 8, 8, 3, 1, 1, rng))
                .add("relu", new ReLU()).build();
        Sequential net = Sequential.named().add("block1", Sequential.of(new Conv2d(backend(), F32, 1, 4, 3, 1, 1, rng)))
                .add("block2", block).build();
        Tensor x = Tensors.of(backend(), F32, new double[2 * 28 * 28], 2, 1, 28, 28);
        ModuleException e = assertThrows(ModuleException.class, () -> net.apply(x));
        assertEquals("block2.conv", e.path());
        assertTrue(e.getMessage().contains("(N, 8, H, W)") && e.getMessage().contains("(2, 4, 28, 28)"),
                e.getMessage());
        e = assertThrows(ModuleException.class, () -> net.summary(Shape.of(1, 1, 28, 28)));
        assertEquals("block2.conv", e.path());
        Sequential flat = Sequential.named().add("fc", new Linear(backend(), F32, 784, 10, rng)).build();
        assertTrue(assertThrows(ModuleException.class, () -> flat.apply(x)).getMessage().contains("Flatten"));
    }

    @Test
    void aGraphWithACycleOrAnUnknownInputFailsWhenBuilt() {
        String msg = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x")
                .node("a", new ReLU(), "c").node("b", new ReLU(), "a").node("c", new ReLU(), "b")
                .node("out", new Add(), "x", "c").build()).getMessage();
        assertTrue(msg.contains("cycle") && msg.contains("a -> b -> c -> a"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x")
                .node("a", new ReLU(), "x").node("b", new ReLU(), "typo").build()).getMessage();
        assertTrue(msg.contains("'b'") && msg.contains("'typo'"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x")
                .node("a", new Add(), "x").build()).getMessage();
        assertTrue(msg.contains("'a'") && msg.contains("1 input"), msg);
        // Declared out of order, wired acyclically: sorted, and it runs.
        Graph g = Graph.builder().input("x").node("b", new ReLU(), "a").node("a", new Tanh(), "x").output("b").build();
        assertEquals(List.of("a", "b"), g.nodes().stream().map(Graph.Node::name).toList());
    }

    /**
     * The modules an imported network adds: input (4, 3, 6, 6) -> zero pad -> conv 3x3 without bias -> leaky ReLU
     * -> {channel affine, clip} -> mul -> sub(mul, leaky) -> max pool 3x3 stride 2 pad 1 -> reshape -> linear
     * without bias.
     */
    private Graph importedModules(DType dtype, long seed) {
        Random rng = new Random(seed);
        Backend be = backend();
        return Graph.builder().input("x")
                .node("pad", new Pad(new dev.nabla.nn.Pad.Spec(1, 0, 2, 1)), "x")
                .node("conv", new Conv2d(be, dtype, 3, 4, 3, dev.nabla.nn.Conv2d.Spec.VALID, Init.he(), false, rng),
                        "pad")
                .node("leaky", new LeakyReLU(0.1), "conv")
                .node("affine", new ChannelAffine(Tensors.randn(be, dtype, rng, 1, 4), Tensors.randn(be, dtype, rng, 1,
                        4)), "leaky")
                .node("clip", new Clip(-0.5, 1), "leaky")
                .node("mul", new Mul(), "affine", "clip")
                .node("sub", new Sub(), "mul", "leaky")
                .node("pool", new MaxPool2d(new dev.nabla.nn.MaxPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1)), "sub")
                .node("reshape", new Reshape(-1), "pool")
                .node("fc", new Linear(Tensors.randn(be, dtype, rng, 0.3, 48, 3), null), "reshape")
                .build();
    }

    @Test
    void theModulesOfImportedNetworksHaveTheNumericGradients() {
        Graph net = importedModules(F64, 20);
        Classifier model = new Classifier(net, 0.01);
        Tensor x = input(F64, 21);
        assertEquals(List.of("conv.weight", "fc.weight"), List.copyOf(model.params().keySet()),
                "no biases, and the channel affine's constants are not parameters");
        assertEquals(List.of("affine.scale", "affine.shift"), List.copyOf(net.buffers().keySet()));
        Model.Loss loss = model.loss(x, LABELS);
        for (Map.Entry<String, Tensor> p : model.params().entrySet()) {
            double[] numeric = GradientCheck.numericGradient(() -> model.loss(x, LABELS).value(), p.getValue(),
                    GradientCheck.H);
            double err = GradientCheck.relError(loss.grads().get(p.getKey()).toDoubleArray(), numeric);
            assertTrue(err < 1e-6, p.getKey() + ": relative error " + err);
        }
        Tensor dout = Tensors.randn(backend(), F64, new Random(22), 1, 4, 3);
        Forward<?> f = net.forward(Mode.EVAL_GRAD, x);
        Tensor dx = net.backward(dout, f.cache(), new dev.nabla.module.Gradients())[0];
        double[] numeric = GradientCheck.numericGradient(() -> net.apply(x), x, dout, GradientCheck.H);
        assertTrue(GradientCheck.relError(dx.toDoubleArray(), numeric) < 1e-6);
        assertEquals(Shape.of(4, 4, 4, 3), net.summary(Shape.of(4, 3, 6, 6)).rows().get(7).outputShape());
    }

    @Test
    void aReshapeKeepsTheBatchAndNamesAMismatch() {
        Reshape r = new Reshape(2, -1);
        assertEquals(Shape.of(5, 2, 6), r.outputShape(Shape.of(5, 3, 4)));
        assertEquals(Shape.of(5, 12), new Reshape(12).outputShape(Shape.of(5, 3, 2, 2)));
        String msg = assertThrows(IllegalArgumentException.class, () -> new Reshape(5).outputShape(Shape.of(2, 3, 4)))
                .getMessage();
        assertTrue(msg.contains("(2, 3, 4)") && msg.contains("[5]"), msg);
        assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1));
        Tensor x = Tensors.of(backend(), F32, new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        assertArrayEquals(x.toDoubleArray(), r.apply(x).toDoubleArray(), 0);
        assertEquals(Shape.of(1, 2, 3), r.apply(x).shape());
    }

    @Test
    void nestedContainersEndingInAReshapeRunBothWaysAndLeaveTheCallersGradientIntact() {
        Random rng = new Random(20);
        Sequential inner = Sequential.named().add("conv", new Conv2d(backend(), F64, 3, 2, 3, 1, 1, rng))
                .add("flat", new Flatten()).build();
        Graph net = Graph.builder().input("x")
                .node("block", inner, "x")
                .node("onlyFlat", Sequential.of(new Flatten()), "block")
                .node("relu", new ReLU(), "onlyFlat")
                .node("tanh", new Tanh(), "onlyFlat")
                .node("sum", new Add(), "relu", "tanh")
                .node("out", Sequential.of(new Flatten()), "sum")
                .build();
        Tensor x = input(F64, 21);
        Tensor expected = Tensors.of(backend(), F64, net.apply(x).toDoubleArray(), 4, 2 * 36);
        Forward<?> f = net.forward(Mode.TRAIN, x);
        assertArrayEquals(expected.toDoubleArray(), f.out().toDoubleArray(), 0);
        Tensor dout = Tensors.randn(backend(), F64, new Random(22), 1, 4, 2 * 36);
        double[] before = dout.toDoubleArray();
        dev.nabla.module.Gradients grads = new dev.nabla.module.Gradients();
        Tensor dx = net.backward(dout, f.cache(), grads)[0];
        assertArrayEquals(before, dout.toDoubleArray(), 0, "the caller's gradient is unchanged and still readable");
        double[] numeric = GradientCheck.numericGradient(() -> net.apply(x), x, dout, GradientCheck.H);
        assertTrue(GradientCheck.relError(dx.toDoubleArray(), numeric) < 1e-6);
        Summary s = net.summary(x.shape());
        assertEquals(2 * 3 * 9 + 2, s.parameters(), "the nested conv's parameters are counted");
        assertEquals("block.conv", s.rows().get(0).path());
    }

    @Test
    void consecutiveDropoutMasksAreIndependent() {
        Tensor ones = Tensors.of(backend(), F32, java.util.stream.DoubleStream.generate(() -> 1).limit(20_000).toArray(),
                20_000);
        Dropout d = new Dropout(0.5, 3);
        double[] a = d.forward(Mode.TRAIN, ones).out().toDoubleArray();
        double[] b = d.forward(Mode.TRAIN, ones).out().toDoubleArray();
        long both = java.util.stream.IntStream.range(0, a.length).filter(i -> a[i] != 0 && b[i] != 0).count();
        // Independent masks keep an element in both with probability (1 - p)^2 = 0.25 (sd 0.003 over 20,000).
        assertEquals(0.25, both / 20_000.0, 0.015);
        long shifted = java.util.stream.IntStream.range(1, a.length).filter(i -> (a[i - 1] != 0) == (b[i] != 0)).count();
        assertEquals(0.5, shifted / 20_000.0, 0.015, "the next mask is no shifted copy of this one");
    }

    @Test
    void loadingIsAllOrNothingAndRefusesAnotherModelsFiles(@TempDir Path dir) throws IOException {
        Random rng = new Random(23);
        Sequential small = Sequential.named().add("a", new Linear(backend(), F32, 3, 4, rng))
                .add("b", new Linear(backend(), F32, 4, 2, rng)).build();
        small.save(dir.resolve("small"));
        Sequential wrongSecond = Sequential.named().add("a", new Linear(backend(), F32, 3, 4, rng))
                .add("b", new Linear(backend(), F32, 4, 3, rng)).build();
        float[] before = wrongSecond.parameters().get("a.weight").value().toFloatArray();
        IOException e = assertThrows(IOException.class, () -> wrongSecond.load(dir.resolve("small")));
        assertTrue(e.getMessage().contains("b.weight") && e.getMessage().contains("(4, 2)"), e.getMessage());
        assertArrayEquals(before, wrongSecond.parameters().get("a.weight").value().toFloatArray(), 0f,
                "nothing is loaded when any array does not fit");
        Sequential fewer = Sequential.named().add("a", new Linear(backend(), F32, 3, 4, rng)).build();
        e = assertThrows(IOException.class, () -> fewer.load(dir.resolve("small")));
        assertTrue(e.getMessage().contains("b.weight"), e.getMessage());
    }

    @Test
    void aModuleInEvalModeKeepsItsRunningStatisticsDuringTraining() {
        Random rng = new Random(24);
        BatchNorm2d bn = new BatchNorm2d(backend(), F64, 3);
        Sequential net = Sequential.named().add("bn", bn).add("gap", new GlobalAvgPool())
                .add("fc", new Linear(backend(), F64, 3, 3, rng)).build();
        bn.setTrainable(false);
        bn.setEvalMode(true);
        new Classifier(net, 0).loss(input(F64, 25), LABELS);
        assertArrayEquals(new double[] {0, 0, 0}, bn.runningMean().toDoubleArray(), 0);
        bn.setEvalMode(false);
        new Classifier(net, 0).loss(input(F64, 25), LABELS);
        assertNotEquals(0, bn.runningMean().get(0), "in training behaviour the statistics move");
    }

    @Test
    void aParameterTheLossDoesNotReachGetsAZeroGradient() {
        Random rng = new Random(26);
        Graph net = Graph.builder().input("x").node("gap", new GlobalAvgPool(), "x")
                .node("fc", new Linear(backend(), F64, 3, 3, rng), "gap")
                .node("unused", new Linear(backend(), F64, 3, 5, rng), "gap").output("fc").build();
        Model.Loss loss = new Classifier(net, 0).loss(input(F64, 27), LABELS);
        assertArrayEquals(new double[15], loss.grads().get("unused.weight").toDoubleArray(), 0);
    }

    @Test
    void softmaxOutputsProbabilities() {
        Tensor s = Tensors.of(backend(), F64, new double[] {0, Math.log(3), 5, 5}, 2, 2);
        assertArrayEquals(new double[] {0.25, 0.75, 0.5, 0.5}, new Softmax().apply(s).toDoubleArray(), 1e-12);
    }
}
