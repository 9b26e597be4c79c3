package dev.nabla.onnx;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.module.Graph;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * ONNX models into {@link Graph}s of Nabla modules, which run, train and save like any other network.
 *
 * <p>Each ONNX node becomes a node of the graph, named after the ONNX node; a node holding parameters is named
 * after its initializers instead when they share a prefix ({@code conv1.weight}, {@code conv1.bias}: node
 * {@code conv1}), so the parameters keep the file's names. Weights are the file's initializers (raw or typed
 * data, or external files beside the model), converted to the import's dtype; a graph input that also has an
 * initializer is a constant. Batch normalization is imported as a {@code BatchNorm} module with the file's running
 * statistics, dropout as a {@code Dropout} module, so an imported network can be trained.
 *
 * <p>The ops and attributes taken are listed in {@link #SUPPORTED_OPS} and the module's README; anything else, an
 * op type or an attribute value, fails here with one message naming the file, the node, its op type and what is
 * supported: nothing is approximated. A shape that does not fit fails here too, naming the node.
 */
public final class OnnxImporter {
    /** How to import: where the tensors live, in which dtype, and whether to drop a trailing Softmax. */
    public record Options(Backend backend, DType dtype, boolean logits, long dropoutSeed) {
        /** Everything imported as the file has it, onto {@code backend} in {@code dtype}; dropout masks from seed 0. */
        public static Options of(Backend backend, DType dtype) {
            return new Options(backend, dtype, false, 0);
        }

        /**
         * With {@code true}, a Softmax that computes the graph's output is left out: the graph ends at its input,
         * the scores. Train on those (the softmax loss, PyTorch's {@code CrossEntropyLoss}, takes scores); a graph
         * whose output is no Softmax is unchanged.
         */
        public Options logits(boolean dropSoftmax) {
            return new Options(backend, dtype, dropSoftmax, dropoutSeed);
        }

        /** The seed of the first Dropout's masks (the next ones take the following seeds). */
        public Options dropoutSeed(long seed) {
            return new Options(backend, dtype, logits, seed);
        }
    }

    private static final Map<String, Op> OPS = new TreeMap<>();

    static {
        Stream.of(ConvOps.ops(), DenseOps.ops(), ActivationOps.ops(), ArithmeticOps.ops(), ShapeOps.ops())
                .flatMap(List::stream).forEach(op -> OPS.put(op.type(), op));
    }

    /** The op types the importer takes, in alphabetical order. */
    public static final List<String> SUPPORTED_OPS = List.copyOf(OPS.keySet());

    private OnnxImporter() {
    }

    /** Reads {@code file} and imports it onto {@code backend} in {@code dtype}, every node as the file has it. */
    public static Graph load(Path file, Backend backend, DType dtype) throws IOException {
        return load(file, Options.of(backend, dtype));
    }

    /**
     * Reads {@code file} and imports it.
     *
     * @throws OnnxFormatException naming the file (and node) when the file is broken or a shape does not fit
     * @throws OnnxUnsupportedException naming the file, node and op type for what is outside the supported set
     */
    public static Graph load(Path file, Options options) throws IOException {
        return toGraph(OnnxReader.read(file), file, options);
    }

    /** Imports a model already read; {@code file} is only named in errors. */
    public static Graph toGraph(OnnxModel model, Path file, Options options) throws OnnxFormatException {
        if (model.outputs().size() != 1) {
            throw new OnnxUnsupportedException(file, null, "the graph has " + model.outputs().size() + " outputs;"
                    + " supported: one");
        }
        ValueInfo output = model.outputs().get(0);
        Translation t = new Translation(file, model, options);
        List<Node> nodes = model.nodes();
        Node dropped = options.logits() ? trailingSoftmax(nodes, output.name()) : null;
        for (Node n : nodes) {
            if (n == dropped) {
                t.alias(n, 0);
                continue;
            }
            Op op = OPS.get(n.opType());
            if (op == null) {
                throw new OnnxUnsupportedException(file, n.toString(), "op type " + n.opType() + " is not supported;"
                        + " supported: " + String.join(", ", SUPPORTED_OPS));
            }
            t.translate(n, op);
        }
        return t.build(output);
    }

    /** The Softmax node that computes {@code output}, if that is what computes it. */
    private static Node trailingSoftmax(List<Node> nodes, String output) {
        for (Node n : nodes) {
            if (n.outputs().contains(output)) {
                return n.opType().equals("Softmax") ? n : null;
            }
        }
        return null;
    }

    /**
     * The number a float attribute stands for: its shortest decimal form, as the exporter meant it ({@code 1e-5}
     * rather than the float's 9.99999974e-6), so that a value written by PyTorch or by Nabla reads back as it was.
     */
    static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** {@code 1 - f}, computed on {@link #decimal}'s decimal form (ONNX's batch-norm momentum 0.9 is Nabla's 0.1). */
    static double complement(float f) {
        return BigDecimal.ONE.subtract(new BigDecimal(Float.toString(f))).doubleValue();
    }
}
