package dev.nabla.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.nn.Add;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import dev.nabla.nn.GlobalAvgPool;
import dev.nabla.nn.ReLU6;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.train.Model;
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
 * and the float32 {@code .npy} weights it names (see the folder's README for the format).
 *
 * <p>{@link #scores} runs the ops in order up to the logits; the final softmax op is left to the
 * caller (a loss or a top-k), as for the course's networks. For transfer learning,
 * {@link #withClassifier} puts a new linear head on the pretrained features and
 * {@link #freezeFeatures} freezes everything before it; {@link #loss} then runs the frozen part
 * forward only and back-propagates through the trainable part alone, as PyTorch does for
 * parameters with {@code requires_grad=False}.
 */
public final class MobileNetV2 implements Model {
    /** Where the pretrained network lives inside the data folder. */
    public static final String DEFAULT_DIR = "pretrained/mobilenet_v2_1.0_224";

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
    /** Ops before this index are frozen: no updates, and no gradient flows into them. */
    private int firstTrainable;

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

    /** The op's output without caches: the conv's pre-activation output is freed as soon as ReLU6 has read it. */
    private static Tensor apply(Op op, Map<String, Tensor> values) {
        Forward<?>[] steps = forward(op, values);
        for (int k = 0; k < steps.length - 1; k++) {
            steps[k].out().close();
        }
        return steps[steps.length - 1].out();
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

    /**
     * A copy of this network whose last linear layer is replaced by a new one with {@code classes}
     * outputs, initialised as PyTorch's {@code nn.Linear}: weights and bias uniform in
     * [-1/sqrt(in), 1/sqrt(in)]. The other parameters are shared with this network, not copied;
     * the copy starts with nothing frozen.
     */
    public MobileNetV2 withClassifier(int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("MobileNetV2.withClassifier: classes must be at least 1, got " + classes);
        }
        int last = ops.size() - 1;
        if (!(ops.get(last) instanceof LinearOp head)) {
            throw new IllegalStateException("MobileNetV2.withClassifier: the last op '" + ops.get(last).name()
                    + "' is not a linear layer");
        }
        int in = head.w().shape().dim(0);
        double bound = 1 / Math.sqrt(in);
        Random rng = new Random(seed);
        Backend be = head.w().backend();
        DType dtype = head.w().dtype();
        Tensor w = Tensors.uniform(be, dtype, rng, -bound, bound, in, classes);
        Tensor b = Tensors.uniform(be, dtype, rng, -bound, bound, classes);
        List<Op> replaced = new ArrayList<>(ops);
        replaced.set(last, new LinearOp(head.name(), head.inputs(), w, b));
        return new MobileNetV2(replaced, inputName);
    }

    /**
     * Freezes every op before the classifier (the last op) or, with {@code false}, unfreezes all:
     * {@link #params} then lists only the classifier's weight and bias.
     */
    public void freezeFeatures(boolean frozen) {
        firstTrainable = frozen ? ops.size() - 1 : 0;
    }

    /** Whether the feature extractor is frozen. */
    public boolean featuresFrozen() {
        return firstTrainable > 0;
    }

    /** Whether {@code paramName} (as in {@link #params}) belongs to the classifier, the last op. */
    public boolean isClassifierParam(String paramName) {
        return paramName.startsWith(ops.get(ops.size() - 1).name() + ".");
    }

    /** Number of classes the classifier scores. */
    public int classes() {
        return ((LinearOp) ops.get(ops.size() - 1)).w().shape().dim(1);
    }

    /** The trainable parameters, named {@code <op>.weight} and {@code <op>.bias}, in graph order. */
    @Override
    public Map<String, Tensor> params() {
        return paramsFrom(firstTrainable);
    }

    /** Every parameter, frozen or not, named as in {@link #params}. */
    public Map<String, Tensor> allParams() {
        return paramsFrom(0);
    }

    private Map<String, Tensor> paramsFrom(int first) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Op op : ops.subList(first, ops.size())) {
            if (op instanceof ConvOp c) {
                out.put(op.name() + ".weight", c.w());
                out.put(op.name() + ".bias", c.b());
            } else if (op instanceof LinearOp l) {
                out.put(op.name() + ".weight", l.w());
                out.put(op.name() + ".bias", l.b());
            }
        }
        return out;
    }

    /**
     * Mean softmax loss of the logits against labels {@code y} and the gradient of every trainable
     * parameter. The frozen ops run forward only, keeping no caches; the backward pass stops at the
     * first trainable op.
     */
    @Override
    public Loss loss(Tensor x, int[] y) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(inputName, x);
        List<Tensor> made = new ArrayList<>();
        for (int i = 0; i < firstTrainable; i++) {
            Op op = ops.get(i);
            values.put(op.name(), apply(op, values));
            release(values, i);
        }
        List<Tensor> frozenOutputs = new ArrayList<>(values.values());
        frozenOutputs.remove(x);
        Object[] caches = new Object[ops.size()];
        Tensor scores = null;
        for (int i = firstTrainable; i < ops.size(); i++) {
            Op op = ops.get(i);
            Forward<?>[] steps = forward(op, values);
            caches[i] = steps;
            scores = steps[steps.length - 1].out();
            for (Forward<?> f : steps) {
                made.add(f.out());
            }
            values.put(op.name(), scores);
        }
        SoftmaxLoss.Result result = SoftmaxLoss.forwardBackward(scores, y);

        Map<String, Tensor> grads = new LinkedHashMap<>();
        Map<String, Tensor> upstream = new HashMap<>();
        upstream.put(ops.get(ops.size() - 1).name(), result.dscores());
        for (int i = ops.size() - 1; i >= firstTrainable; i--) {
            Op op = ops.get(i);
            Tensor d = upstream.remove(op.name());
            if (d == null) {
                throw new IllegalStateException("MobileNetV2: the output of op '" + op.name()
                        + "' does not reach the logits");
            }
            backward(op, (Forward<?>[]) caches[i], d, grads, upstream);
            d.close();
        }
        upstream.values().forEach(Tensor::close);
        // The frozen part's outputs and every activation of the trainable part are no longer needed.
        frozenOutputs.forEach(Tensor::close);
        made.remove(scores);
        made.forEach(Tensor::close);
        return new Loss(result.loss(), grads, scores);
    }

    /** The op's forward steps with their caches: conv (+ ReLU6), add, pool or linear. */
    private static Forward<?>[] forward(Op op, Map<String, Tensor> values) {
        Tensor first = values.get(op.inputs().get(0));
        if (op instanceof ConvOp c) {
            Forward<Conv2d.Cache> conv = Conv2d.forward(first, c.w(), c.b(), c.spec());
            return c.relu6() ? new Forward<?>[] {conv, ReLU6.forward(conv.out())} : new Forward<?>[] {conv};
        } else if (op instanceof AddOp) {
            return new Forward<?>[] {Add.forward(first, values.get(op.inputs().get(1)))};
        } else if (op instanceof PoolOp) {
            return new Forward<?>[] {GlobalAvgPool.forward(first)};
        }
        LinearOp l = (LinearOp) op;
        return new Forward<?>[] {Affine.forward(first, l.w(), l.b())};
    }

    /**
     * Back-propagates {@code d} (the gradient of the op's output) through one op: its parameter
     * gradients go to {@code grads}, its inputs' gradients are summed into {@code upstream} (an
     * output read by two ops, as at a residual connection, gets both contributions).
     */
    private void backward(Op op, Forward<?>[] steps, Tensor d, Map<String, Tensor> grads,
                          Map<String, Tensor> upstream) {
        if (op instanceof ConvOp) {
            Tensor dConv = d;
            if (steps.length == 2) {
                dConv = ReLU6.backward(d, (ReLU6.Cache) steps[1].cache());
            }
            Conv2d.Grads g = Conv2d.backward(dConv, (Conv2d.Cache) steps[0].cache());
            if (dConv != d) {
                dConv.close();
            }
            grads.put(op.name() + ".weight", g.dw());
            grads.put(op.name() + ".bias", g.db());
            accumulate(op.inputs().get(0), g.dx(), upstream);
        } else if (op instanceof AddOp) {
            Add.Grads g = Add.backward(d, (Add.Cache) steps[0].cache());
            accumulate(op.inputs().get(0), g.da(), upstream);
            accumulate(op.inputs().get(1), g.db(), upstream);
        } else if (op instanceof PoolOp) {
            accumulate(op.inputs().get(0), GlobalAvgPool.backward(d, (GlobalAvgPool.Cache) steps[0].cache()),
                    upstream);
        } else {
            Affine.Grads g = Affine.backward(d, (Affine.Cache) steps[0].cache());
            grads.put(op.name() + ".weight", g.dw());
            grads.put(op.name() + ".bias", g.db());
            accumulate(op.inputs().get(0), g.dx(), upstream);
        }
    }

    /** Adds {@code dx} to the gradient of tensor {@code name}, dropping it when no trainable op made that tensor. */
    private void accumulate(String name, Tensor dx, Map<String, Tensor> upstream) {
        if (!producedByTrainableOp(name)) {
            dx.close();
            return;
        }
        Tensor sum = upstream.get(name);
        if (sum == null) {
            upstream.put(name, dx);
        } else {
            sum.addScaled(1, dx);
            dx.close();
        }
    }

    private boolean producedByTrainableOp(String name) {
        for (int i = firstTrainable; i < ops.size(); i++) {
            if (ops.get(i).name().equals(name)) {
                return true;
            }
        }
        return false;
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
