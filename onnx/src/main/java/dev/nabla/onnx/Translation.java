package dev.nabla.onnx;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.module.Flatten;
import dev.nabla.module.Graph;
import dev.nabla.module.Module;
import dev.nabla.module.Reshape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state of one import: every ONNX value seen so far, the graph being declared, the names it uses, and the node
 * being translated, which every error names. Op translators read their inputs and attributes through it and add
 * modules with {@link #add}, which checks the shapes at once, so a shape that does not fit fails at import.
 */
final class Translation {
    private final Path file;
    private final OnnxImporter.Options options;
    private final int opset;
    private final Map<String, Value> values = new HashMap<>();
    private final Graph.Builder builder = Graph.builder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Shape> slotShapes = new HashMap<>();
    private final Map<String, String> materialized = new HashMap<>();
    private final Set<String> inputNames = new HashSet<>();
    private final Map<String, Module> reused = new HashMap<>();
    private boolean batchFixed = true;
    private long dropouts;
    private Node node;

    /** The translation of {@code model}'s constants and inputs; the nodes follow through {@link #translate}. */
    Translation(Path file, OnnxModel model, OnnxImporter.Options options) throws OnnxFormatException {
        this.file = file;
        this.options = options;
        this.opset = model.opsetVersion();
        model.initializers().forEach((name, tensor) -> values.put(name, new Value.Constant(tensor)));
        if (model.inputs().isEmpty()) {
            throw new OnnxUnsupportedException(file, null, "the graph has no input that is not a constant");
        }
        for (ValueInfo in : model.inputs()) {
            Shape shape = inputShape(in);
            builder.input(in.name());
            names.add(in.name());
            inputNames.add(in.name());
            slotShapes.put(in.name(), shape);
            values.put(in.name(), Value.Computed.of(in.name(), shape));
        }
    }

    /**
     * A graph input's shape: axis 0 is the batch (a symbolic size stands in as 1, and the graph then takes any
     * batch); the other axes must be fixed, since every module checks its input's shape.
     */
    private Shape inputShape(ValueInfo in) throws OnnxFormatException {
        String where = "graph input '" + in.name() + "'";
        if (in.elementType() != ElementType.FLOAT && in.elementType() != ElementType.DOUBLE) {
            throw new OnnxUnsupportedException(file, where, "element type " + in.elementType() + " is not supported"
                    + " (FLOAT and DOUBLE are)");
        }
        List<Dim> dims = in.shape().orElseThrow(() -> new OnnxUnsupportedException(file, where, "has no shape;"
                + " the importer needs its rank and every size but the batch's"));
        if (dims.isEmpty()) {
            throw new OnnxUnsupportedException(file, where, "is a scalar; inputs need a batch axis");
        }
        int[] out = new int[dims.size()];
        for (int i = 0; i < out.length; i++) {
            Dim d = dims.get(i);
            if (d.isFixed() && d.value() > 0) {
                out[i] = Math.toIntExact(d.value());
            } else if (i == 0) {
                out[i] = 1;
                batchFixed = false;
            } else {
                throw new OnnxUnsupportedException(file, where, "axis " + i + " has size " + d + "; only the batch"
                        + " axis 0 may be symbolic or unknown, the others must be fixed");
            }
        }
        return Shape.of(out);
    }

    /** Translates one node with its op; its attributes are checked against the op's first. */
    void translate(Node n, Op op) throws OnnxFormatException {
        node = n;
        for (Attribute a : n.attributes()) {
            if (!op.attributes().contains(a.name())) {
                throw unsupported("attribute '" + a.name() + "' is not supported; " + op.type() + " takes "
                        + (op.attributes().isEmpty() ? "none" : String.join(", ", op.attributes().stream().sorted()
                        .toList())));
            }
        }
        try {
            op.translator().translate(this);
        } catch (IllegalArgumentException e) {
            // A typed getter met an attribute of another type; its message already names the node.
            String message = e.getMessage();
            throw new OnnxFormatException(file, message.startsWith(n.toString()) ? null : n.toString(), message, e);
        }
    }

    /** Makes the node's first output stand for the same value as its input {@code i} (Identity, a dropped Softmax). */
    void alias(Node n, int i) throws OnnxFormatException {
        node = n;
        define(input(i));
    }

    /** The node being translated. */
    Node node() {
        return node;
    }

    /** The model's default-domain opset, which decides where some ops keep their arguments. */
    int opset() {
        return opset;
    }

    /** The options of this import. */
    OnnxImporter.Options options() {
        return options;
    }

    /** Whether every graph input has a fixed batch size (then a literal batch size in a Reshape keeps the batch). */
    boolean batchFixed() {
        return batchFixed;
    }

    // ---- the node's inputs and outputs -----------------------------------------------------------------------

    /** Fails unless the node has between {@code min} and {@code max} inputs (an empty name counts: it is omitted). */
    void inputs(int min, int max) throws OnnxFormatException {
        int n = node.inputs().size();
        if (n < min || n > max) {
            throw invalid("has " + n + " inputs; " + node.opType() + " takes " + (min == max ? "" + min : min + " to "
                    + max));
        }
    }

    /** Whether optional input {@code i} is given. */
    boolean given(int i) {
        return i < node.inputs().size() && !node.inputs().get(i).isEmpty();
    }

    /** Input {@code i}'s value. */
    Value input(int i) throws OnnxFormatException {
        String name = node.inputs().get(i);
        Value v = values.get(name);
        if (v == null) {
            throw invalid("input '" + name + "' has no value");
        }
        return v;
    }

    /** Input {@code i}, which must be computed by the graph (the data an op transforms). */
    Value.Computed computed(int i, String role) throws OnnxFormatException {
        if (input(i) instanceof Value.Computed c) {
            return c;
        }
        throw unsupported(role + " '" + node.inputs().get(i) + "' is a constant; only a value computed from the"
                + " graph's inputs is supported there (constants are not folded through this op)");
    }

    /** Input {@code i}, computed, of the rank the op's Nabla layer takes ({@code layout} says which, for the error). */
    Value.Computed computed(int i, String role, int rank, String layout) throws OnnxFormatException {
        Value.Computed x = computed(i, role);
        if (x.shape().rank() != rank) {
            throw unsupported(role + " has shape " + x.shape() + "; only " + layout + " is supported");
        }
        return x;
    }

    /** Input {@code i}, which must be a constant: an initializer or a {@code Constant} node (weights, shapes). */
    OnnxTensor constant(int i, String role) throws OnnxFormatException {
        if (input(i) instanceof Value.Constant c) {
            return c.tensor();
        }
        String name = node.inputs().get(i);
        throw unsupported(role + " '" + name + "' must be a constant (an initializer or a Constant node), but it is "
                + (inputNames.contains(name) ? "a graph input without an initializer" : "computed by the graph"));
    }

    /** A constant input as one double, checked to be a single value. */
    double scalar(int i, String role) throws OnnxFormatException {
        OnnxTensor t = floating(constant(i, role), role);
        if (t.size() != 1) {
            throw unsupported(role + " '" + t.name() + "' has shape " + t.shape() + "; a single value is supported");
        }
        return t.get(0);
    }

    /** The tensor, checked to hold FLOAT or DOUBLE values. */
    OnnxTensor floating(OnnxTensor t, String role) throws OnnxFormatException {
        if (t.elementType() != ElementType.FLOAT && t.elementType() != ElementType.DOUBLE) {
            throw unsupported(role + " '" + t.name() + "' is " + t.elementType() + "; FLOAT or DOUBLE is supported");
        }
        return t;
    }

    /** A constant input of INT64 values (shapes, axes, pads). */
    long[] longs(int i, String role) throws OnnxFormatException {
        OnnxTensor t = constant(i, role);
        if (t.elementType() != ElementType.INT64 || t.shape().rank() != 1) {
            throw invalid(role + " '" + t.name() + "' must be a 1-D INT64 tensor, got " + t.elementType() + " "
                    + t.shape());
        }
        return t.longs();
    }

    /** Fails unless only the node's first output is used (the optional others, such as a mask, are not computed). */
    void oneOutput() throws OnnxFormatException {
        for (int i = 1; i < node.outputs().size(); i++) {
            if (!node.outputs().get(i).isEmpty()) {
                throw unsupported("output " + i + " ('" + node.outputs().get(i) + "') is not supported; only the first"
                        + " output is computed");
            }
        }
    }

    /** Gives the node's first output this value. */
    void define(Value v) {
        values.put(node.outputs().get(0), v);
    }

    // ---- building the graph ----------------------------------------------------------------------------------

    /**
     * Adds a node of the module {@code make} builds, reading {@code inputs}, under {@code name} (made unique), and
     * returns its value. A module that refuses its tensors or its input shapes is a shape that does not fit: an
     * error naming the ONNX node.
     */
    Value.Computed add(String name, Supplier<Module> make, Value.Computed... inputs) throws OnnxFormatException {
        String[] slots = new String[inputs.length];
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            slots[i] = slot(inputs[i]);
            shapes[i] = slotShapes.get(slots[i]);
        }
        Module module;
        Shape out;
        try {
            module = make.get();
            out = module.outputShape(shapes);
        } catch (IllegalArgumentException e) {
            throw invalid("does not fit its inputs " + Arrays.toString(shapes) + ": " + e.getMessage());
        }
        String unique = unique(name);
        builder.node(unique, module, slots);
        slotShapes.put(unique, out);
        return Value.Computed.of(unique, out);
    }

    /**
     * {@code make}, or the module an earlier node of the same op type, attributes and constant inputs got: two
     * nodes reading the same initializers are one module used twice (as the exporter writes a shared module), so
     * they train one set of parameters. For nodes whose inputs after the first are all constants.
     */
    Supplier<Module> reusable(Supplier<Module> make) {
        String key = node.opType() + " " + node.attributes() + " " + node.inputs().subList(1, node.inputs().size());
        return () -> reused.computeIfAbsent(key, k -> make.get());
    }

    /** The graph slot holding {@code v} in its ONNX shape: its own, or a reshape of it added the first time. */
    String slot(Value.Computed v) throws OnnxFormatException {
        if (!v.isView()) {
            return v.slot();
        }
        String key = v.slot() + " as " + v.shape();
        String done = materialized.get(key);
        if (done != null) {
            return done;
        }
        int[] dims = v.shape().dims();
        Module reshape = dims.length == 2 ? new Flatten() : new Reshape(Arrays.copyOfRange(dims, 1, dims.length));
        String name = unique(v.viewName());
        builder.node(name, reshape, v.slot());
        slotShapes.put(name, v.shape());
        materialized.put(key, name);
        return name;
    }

    /** {@code preferred}, or with a suffix {@code _2}, {@code _3}, ... when a node or input already has it. */
    private String unique(String preferred) {
        String name = preferred;
        for (int k = 2; !names.add(name); k++) {
            name = preferred + "_" + k;
        }
        return name;
    }

    /**
     * The name of a node holding parameters: {@code P} when every initializer it takes is named {@code P.<part>}
     * (PyTorch's exporter names them after the module, {@code conv1.weight}, {@code conv1.bias}), so that the
     * parameters keep the file's names; otherwise the ONNX node's name. Null entries (omitted inputs) are skipped.
     */
    String paramName(String... initializers) {
        String prefix = null;
        for (String name : initializers) {
            if (name == null) {
                continue;
            }
            int dot = name.lastIndexOf('.');
            String p = dot > 0 ? name.substring(0, dot) : null;
            if (p == null || (prefix != null && !prefix.equals(p))) {
                return node.name();
            }
            prefix = p;
        }
        return prefix == null || names.contains(prefix) ? node.name() : prefix;
    }

    /** Values on the import's backend in its dtype; {@code values} row-major for {@code shape}. */
    Tensor tensor(double[] v, Shape shape) {
        Backend be = options.backend();
        DType dtype = options.dtype();
        return be.fromArray(v, dtype, shape);
    }

    /** A constant's values on the import's backend, in its shape. */
    Tensor tensor(OnnxTensor t) {
        return tensor(t.toDoubles(), t.shape());
    }

    /** The seed of the next Dropout's masks: the options' seed plus the count of those before it. */
    long nextDropoutSeed() {
        return options.dropoutSeed() + dropouts++;
    }

    /** The graph, whose output is the ONNX value {@code output}, checked against the file's declared shape. */
    Graph build(ValueInfo output) throws OnnxFormatException {
        String where = "graph output '" + output.name() + "'";
        Value v = values.get(output.name());
        if (!(v instanceof Value.Computed c)) {
            throw new OnnxUnsupportedException(file, where, "is a constant; the graph must compute its output");
        }
        String slot = slot(c);
        if (inputNames.contains(slot)) {
            throw new OnnxUnsupportedException(file, where, "is a graph input; the graph computes nothing");
        }
        Shape shape = c.shape();
        List<Dim> declared = output.shape().orElse(null);
        if (declared != null) {
            boolean fits = declared.size() == shape.rank();
            for (int i = 1; fits && i < declared.size(); i++) {
                fits = !declared.get(i).isFixed() || declared.get(i).value() == shape.dim(i);
            }
            if (!fits) {
                throw new OnnxFormatException(file, where, "is declared " + declared + " but the graph computes "
                        + shape + " (axis 0 being the batch)");
            }
        }
        return builder.output(slot).build();
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    /** Something the node uses that is not supported: the message names the file, the node and its op type. */
    OnnxUnsupportedException unsupported(String what) {
        return new OnnxUnsupportedException(file, node.toString(), what);
    }

    /** Something about the node that cannot be right: inputs that do not fit, a shape that contradicts another. */
    OnnxFormatException invalid(String what) {
        return new OnnxFormatException(file, node.toString(), what);
    }
}
