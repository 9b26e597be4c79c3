package dev.nabla.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.nn.Add;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.GlobalAvgPool;
import dev.nabla.nn.ReLU6;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pretrained MobileNetV2 built from an {@code npy-cnn-v1} folder: {@code model.json} (the op list)
 * and the float32 {@code .npy} weights it names (see the folder's README for the format).
 *
 * <p>{@link #scores} runs the ops in order up to the logits; the final softmax op is left to the
 * caller (a loss or a top-k), as for the course's networks.
 */
public final class MobileNetV2 {
    /** The only format this loader reads. */
    public static final String FORMAT = "npy-cnn-v1";

    /** One step of the graph; {@code inputs} name the tensors it reads ("input" or an earlier op's name). */
    sealed interface Op permits ConvOp, AddOp, PoolOp, LinearOp {
        String name();

        List<String> inputs();
    }

    /** A convolution with its bias, optionally followed by ReLU6. */
    record ConvOp(String name, List<String> inputs, Tensor w, Tensor b, Conv2d.Spec spec, boolean relu6)
            implements Op {
    }

    /** The residual sum of two earlier tensors. */
    record AddOp(String name, List<String> inputs) implements Op {
    }

    /** Global average pooling (N, C, H, W) to (N, C). */
    record PoolOp(String name, List<String> inputs) implements Op {
    }

    /** A fully connected layer; {@code w} is stored (in, out), the transpose of the file's [out, in]. */
    record LinearOp(String name, List<String> inputs, Tensor w, Tensor b) implements Op {
    }

    private final List<Op> ops;
    private final String inputName;
    private final int[] lastUse;

    private MobileNetV2(List<Op> ops, String inputName) {
        this.ops = List.copyOf(ops);
        this.inputName = inputName;
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String in : ops.get(i).inputs()) {
                last.put(in, i);
            }
        }
        this.lastUse = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            lastUse[i] = last.getOrDefault(ops.get(i).name(), ops.size());
        }
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
        List<Op> ops = new ArrayList<>();
        for (JsonNode op : root.path("ops")) {
            String kind = op.path("op").asText();
            String name = op.path("name").asText();
            switch (kind) {
                case "conv2d" -> ops.add(conv(modelDir, op, name, backend, dtype));
                case "add" -> {
                    List<String> in = strings(op.path("inputs"));
                    requireNoActivation(op, name);
                    ops.add(new AddOp(name, in));
                }
                case "global_avg_pool" -> ops.add(new PoolOp(name, List.of(op.path("input").asText())));
                case "linear" -> ops.add(linear(modelDir, op, name, backend, dtype));
                case "softmax" -> {
                    // scores() ends at the logits, the softmax's input.
                }
                default -> throw new IllegalArgumentException("MobileNetV2: " + json + ": unknown op '" + kind
                        + "' (op named '" + name + "')");
            }
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("MobileNetV2: " + json + " has no ops");
        }
        return new MobileNetV2(ops, inputName);
    }

    /** Logits (N, 1000) for preprocessed images x (N, 3, 224, 224). */
    public Tensor scores(Tensor x) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(inputName, x);
        Tensor out = x;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            out = apply(op, values);
            values.put(op.name(), out);
            release(values, i);
        }
        return out;
    }

    private static Tensor apply(Op op, Map<String, Tensor> values) {
        Tensor first = values.get(op.inputs().get(0));
        if (op instanceof ConvOp c) {
            Tensor y = Conv2d.forward(first, c.w(), c.b(), c.spec()).out();
            if (!c.relu6()) {
                return y;
            }
            Tensor r = ReLU6.forward(y).out();
            y.close();
            return r;
        } else if (op instanceof AddOp) {
            return Add.forward(first, values.get(op.inputs().get(1))).out();
        } else if (op instanceof PoolOp) {
            return GlobalAvgPool.forward(first).out();
        }
        LinearOp l = (LinearOp) op;
        return Affine.forward(first, l.w(), l.b()).out();
    }

    /** Closes the activations whose last reader was op i (native memory on some backends), never the input. */
    private void release(Map<String, Tensor> values, int i) {
        for (int j = 0; j < i; j++) {
            if (lastUse[j] == i) {
                Tensor t = values.remove(ops.get(j).name());
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    /** The op names in execution order (the softmax left out). */
    public List<String> opNames() {
        return ops.stream().map(Op::name).toList();
    }

    private static ConvOp conv(Path dir, JsonNode op, String name, Backend backend, DType dtype) throws IOException {
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
        String act = op.path("activation").asText("none");
        if (!act.equals("none") && !act.equals("relu6")) {
            throw new IllegalArgumentException("MobileNetV2: op '" + name + "' has unknown activation '" + act + "'");
        }
        Tensor w = weight(dir, op.path("weight").asText(), name, Shape.of(out, in / groups, k[0], k[1]), backend, dtype,
                false);
        Tensor b = weight(dir, op.path("bias").asText(), name, Shape.of(out), backend, dtype, false);
        Conv2d.Spec spec = new Conv2d.Spec(stride[0], stride[1], pad[0], pad[1], pad[2], pad[3], groups);
        return new ConvOp(name, List.of(op.path("input").asText()), w, b, spec, act.equals("relu6"));
    }

    private static LinearOp linear(Path dir, JsonNode op, String name, Backend backend, DType dtype)
            throws IOException {
        int in = op.path("in_features").asInt();
        int out = op.path("out_features").asInt();
        requireNoActivation(op, name);
        Tensor w = weight(dir, op.path("weight").asText(), name, Shape.of(out, in), backend, dtype, true);
        Tensor b = weight(dir, op.path("bias").asText(), name, Shape.of(out), backend, dtype, false);
        return new LinearOp(name, List.of(op.path("input").asText()), w, b);
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

    /**
     * The global-average-pooled features (N, C) for preprocessed images x (N, 3, 224, 224): the input of
     * the classifier, 1280-d for MobileNetV2 1.0. Runs the ops up to the first global average pool;
     * {@link #scores} is unchanged.
     *
     * @throws IllegalStateException if the graph has no global average pool
     */
    public Tensor features(Tensor x) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(inputName, x);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Tensor out = apply(op, values);
            if (op instanceof PoolOp) {
                // Everything else still held is an intermediate activation: release it now.
                values.remove(inputName);
                values.values().forEach(Tensor::close);
                return out;
            }
            values.put(op.name(), out);
            release(values, i);
        }
        throw new IllegalStateException("MobileNetV2.features: the graph has no global_avg_pool op");
    }
}
