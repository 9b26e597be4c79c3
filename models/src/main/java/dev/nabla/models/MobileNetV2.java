package dev.nabla.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.module.Add;
import dev.nabla.module.Classifier;
import dev.nabla.module.Conv2d;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.Graph;
import dev.nabla.module.Init;
import dev.nabla.module.Linear;
import dev.nabla.module.Parameter;
import dev.nabla.module.ReLU6;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The pretrained MobileNetV2 built from an {@code npy-cnn-v1} folder: {@code model.json} (the op list)
 * and the float32 {@code .npy} weights it names (see the folder's README for the format), declared as a
 * {@link Graph} of modules: one node per op, named as the op (so its parameters are {@code <op>.weight} and
 * {@code <op>.bias}), and a {@code <op>_relu6} node after each convolution with that activation.
 *
 * <p>{@link #scores} runs the graph up to the logits; the final softmax op is left to the
 * caller (a loss or a top-k), as for the course's networks. For transfer learning,
 * {@link #withClassifier} puts a new linear head on the pretrained features and
 * {@link #freezeFeatures} freezes everything before it; {@link #loss} then runs the frozen part
 * forward only and back-propagates through the trainable part alone, as PyTorch does for
 * parameters with {@code requires_grad=False} (the graph's own rule for nodes that need no gradient).
 */
public final class MobileNetV2 extends Classifier {
    /** Where the pretrained network lives inside the data folder. */
    public static final String DEFAULT_DIR = "pretrained/mobilenet_v2_1.0_224";

    /** The only format this loader reads. */
    public static final String FORMAT = "npy-cnn-v1";

    private static final String RELU6 = "_relu6";

    private final Graph graph;

    private MobileNetV2(Graph graph) {
        super(graph, 0);
        this.graph = graph;
    }

    /**
     * Reads {@code modelDir/model.json} and every weight it names onto {@code backend} as {@code dtype}.
     *
     * @throws FileNotFoundException naming the file when model.json or a weight is missing
     * @throws IllegalArgumentException naming file, expected and actual for a wrong shape or dtype, or
     *     naming an op the loader does not know
     */
    public static MobileNetV2 load(Path modelDir, Backend backend, DType dtype) throws IOException {
        Path json = modelDir.resolve("model.json");
        if (!Files.isRegularFile(json)) {
            throw new FileNotFoundException("MobileNetV2: " + json + " not found");
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        String format = root.path("format").asText();
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("MobileNetV2: " + json + " has format '" + format + "', expected '"
                    + FORMAT + "'");
        }
        String inputName = root.path("input").path("name").asText("input");
        Graph.Builder g = Graph.builder().input(inputName);
        // An op's name stands for its output: after a fused ReLU6 that is the activation node's.
        Map<String, String> value = new HashMap<>();
        String last = null;
        for (JsonNode op : root.path("ops")) {
            String kind = op.path("op").asText();
            String name = op.path("name").asText();
            switch (kind) {
                case "conv2d" -> {
                    String act = op.path("activation").asText("none");
                    if (!act.equals("none") && !act.equals("relu6")) {
                        throw new IllegalArgumentException("MobileNetV2: op '" + name + "' has unknown activation '"
                                + act + "'");
                    }
                    g.node(name, conv(modelDir, op, name, backend, dtype), input(value, op.path("input").asText()));
                    if (act.equals("relu6")) {
                        g.node(name + RELU6, new ReLU6(), name);
                        value.put(name, name + RELU6);
                    }
                }
                case "add" -> {
                    requireNoActivation(op, name);
                    List<String> in = strings(op.path("inputs")).stream().map(i -> input(value, i)).toList();
                    g.node(name, new Add(), in.toArray(String[]::new));
                }
                case "global_avg_pool" -> g.node(name, new GlobalAvgPool(), input(value, op.path("input").asText()));
                case "linear" -> g.node(name, linear(modelDir, op, name, backend, dtype),
                        input(value, op.path("input").asText()));
                case "softmax" -> {
                    // scores() ends at the logits, the softmax's input.
                    continue;
                }
                default -> throw new IllegalArgumentException("MobileNetV2: " + json + ": unknown op '" + kind
                        + "' (op named '" + name + "')");
            }
            last = value.getOrDefault(name, name);
        }
        if (last == null) {
            throw new IllegalArgumentException("MobileNetV2: " + json + " has no ops");
        }
        return new MobileNetV2(g.output(last).build());
    }

    private static String input(Map<String, String> value, String name) {
        return value.getOrDefault(name, name);
    }

    /** The network as a graph of modules. */
    public Graph graph() {
        return graph;
    }

    /** Logits (N, 1000) for preprocessed images x (N, 3, 224, 224). */
    @Override
    public Tensor scores(Tensor x) {
        return graph.apply(x);
    }

    /** The node names in execution order (the softmax left out). */
    public List<String> opNames() {
        return graph.nodes().stream().map(Graph.Node::name).toList();
    }

    /**
     * A copy of this network whose last linear layer is replaced by a new one with {@code classes}
     * outputs, initialised as PyTorch's {@code nn.Linear}: weights and bias uniform in
     * [-1/sqrt(in), 1/sqrt(in)]. The other modules are shared with this network, not copied, and so is whether
     * they are frozen ({@link #freezeFeatures} on either network freezes both).
     */
    public MobileNetV2 withClassifier(int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("MobileNetV2.withClassifier: classes must be at least 1, got " + classes);
        }
        Graph.Node last = graph.outputNode();
        if (!(last.module() instanceof Linear head)) {
            throw new IllegalStateException("MobileNetV2.withClassifier: the last op '" + last.name()
                    + "' is not a linear layer");
        }
        Tensor like = head.weight().value();
        Linear fresh = new Linear(like.backend(), like.dtype(), head.inFeatures(), classes, new Random(seed));
        return new MobileNetV2(graph.withModule(last.name(), fresh));
    }

    /**
     * Freezes every op before the classifier (the last op) or, with {@code false}, unfreezes all:
     * {@link #params} then lists only the classifier's weight and bias.
     */
    public void freezeFeatures(boolean frozen) {
        for (Graph.Node n : graph.nodes()) {
            n.module().setTrainable(!frozen || n == graph.outputNode());
        }
    }

    /** Whether the feature extractor is frozen. */
    public boolean featuresFrozen() {
        return graph.nodes().stream().filter(n -> n != graph.outputNode())
                .anyMatch(n -> !n.module().parameters().isEmpty() && !n.module().hasTrainableParameters());
    }

    /** Whether {@code paramName} (as in {@link #params}) belongs to the classifier, the last op. */
    public boolean isClassifierParam(String paramName) {
        return paramName.startsWith(graph.outputNode().name() + ".");
    }

    /** Number of classes the classifier scores. */
    public int classes() {
        return ((Linear) graph.outputNode().module()).outFeatures();
    }

    /** Every parameter, frozen or not, named as in {@link #params}. */
    public Map<String, Tensor> allParams() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        graph.parameters().forEach((k, p) -> out.put(k, p.value()));
        return out;
    }

    /**
     * The global-average-pooled features (N, C) for preprocessed images x (N, 3, 224, 224): the input of
     * the classifier, 1280-d for MobileNetV2 1.0. Runs the nodes up to the first global average pool;
     * {@link #scores} is unchanged.
     *
     * @throws IllegalStateException if the graph has no global average pool
     */
    public Tensor features(Tensor x) {
        for (Graph.Node n : graph.nodes()) {
            if (n.module() instanceof GlobalAvgPool) {
                return graph.output(n.name(), x);
            }
        }
        throw new IllegalStateException("MobileNetV2.features: the graph has no global_avg_pool op");
    }

    private static Conv2d conv(Path dir, JsonNode op, String name, Backend backend, DType dtype) throws IOException {
        int in = op.path("in_channels").asInt();
        int out = op.path("out_channels").asInt();
        int groups = op.path("groups").asInt(1);
        int[] k = ints(op.path("kernel"), 2, name, "kernel");
        int[] stride = ints(op.path("stride"), 2, name, "stride");
        int[] pad = ints(op.path("pad"), 4, name, "pad");
        if (op.has("dilation") && !Arrays.equals(ints(op.path("dilation"), 2, name, "dilation"), new int[] {1, 1})) {
            throw new IllegalArgumentException("MobileNetV2: op '" + name + "' has dilation " + op.path("dilation")
                    + "; only [1, 1] is supported");
        }
        if (groups < 1 || in % groups != 0) {
            throw new IllegalArgumentException("MobileNetV2: op '" + name + "' has " + in + " input channels, not"
                    + " divisible into " + groups + " groups");
        }
        Tensor w = weight(dir, op.path("weight").asText(), name, Shape.of(out, in / groups, k[0], k[1]), backend, dtype,
                false);
        Tensor b = weight(dir, op.path("bias").asText(), name, Shape.of(out), backend, dtype, false);
        dev.nabla.nn.Conv2d.Spec spec = new dev.nabla.nn.Conv2d.Spec(stride[0], stride[1], pad[0], pad[1], pad[2], pad[3], groups);
        return new Conv2d(w, b, spec);
    }

    private static Linear linear(Path dir, JsonNode op, String name, Backend backend, DType dtype)
            throws IOException {
        int in = op.path("in_features").asInt();
        int out = op.path("out_features").asInt();
        requireNoActivation(op, name);
        Tensor w = weight(dir, op.path("weight").asText(), name, Shape.of(out, in), backend, dtype, true);
        Tensor b = weight(dir, op.path("bias").asText(), name, Shape.of(out), backend, dtype, false);
        return new Linear(w, b);
    }

    private static void requireNoActivation(JsonNode op, String name) {
        String act = op.path("activation").asText("none");
        if (!act.equals("none")) {
            throw new IllegalArgumentException("MobileNetV2: op '" + name + "' has activation '" + act
                    + "'; only 'none' is supported on this op");
        }
    }

    /** Reads one float32 .npy and checks it against the shape model.json implies; transposes a 2-D one if asked. */
    private static Tensor weight(Path dir, String file, String op, Shape expected, Backend backend, DType dtype,
                                 boolean transpose) throws IOException {
        Path path = dir.resolve(file);
        if (file.isEmpty() || !Files.isRegularFile(path)) {
            throw new FileNotFoundException("MobileNetV2: weight file " + path + " (op '" + op + "') not found");
        }
        NpyArray a = Npy.read(path);
        if (!a.descr().equals("<f4")) {
            throw new IllegalArgumentException("MobileNetV2: " + path + " (op '" + op + "') has dtype '" + a.descr()
                    + "', expected '<f4' (float32)");
        }
        if (!a.shape().equals(expected)) {
            throw new IllegalArgumentException("MobileNetV2: " + path + " (op '" + op + "') has shape " + a.shape()
                    + ", expected " + expected);
        }
        float[] v = a.asFloats();
        if (!transpose) {
            return backend.fromArray(v, dtype, expected);
        }
        int rows = expected.dim(0);
        int cols = expected.dim(1);
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return backend.fromArray(t, dtype, Shape.of(cols, rows));
    }

    private static int[] ints(JsonNode node, int count, String op, String field) {
        if (!node.isArray() || node.size() != count) {
            throw new IllegalArgumentException("MobileNetV2: op '" + op + "' needs '" + field + "' as " + count
                    + " integers, got " + node);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

}
