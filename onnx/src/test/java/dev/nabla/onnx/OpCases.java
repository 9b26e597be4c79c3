package dev.nabla.onnx;

import dev.nabla.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small ONNX models of one or a few nodes, built in code, with seeded random weights. */
final class OpCases {
    private final Random rng = new Random(17);
    private final List<Node> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final Shape input;
    private int count;

    private OpCases(Shape input) {
        this.input = input;
    }

    /** A model of input {@code x} with this shape (axis 0 written as the symbolic N). */
    static OpCases input(int... dims) {
        return new OpCases(Shape.of(dims));
    }

    /** The input's shape. */
    Shape shape() {
        return input;
    }

    /** A random FLOAT initializer. */
    String weight(String name, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.intSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.5 * rng.nextGaussian());
        }
        return constant(OnnxTensor.ofFloats(name, s, v));
    }

    /** A FLOAT initializer of these values. */
    String floats(String name, Shape shape, float... v) {
        return constant(OnnxTensor.ofFloats(name, shape, v));
    }

    /** An INT64 initializer of these values (a shape, axes, pads). */
    String longs(String name, long... v) {
        return constant(OnnxTensor.ofLongs(name, Shape.of(v.length), v));
    }

    private String constant(OnnxTensor t) {
        initializers.add(t);
        return t.name();
    }

    /** Adds node {@code op} reading {@code inputs}; its output is named after the node, which is returned. */
    String node(String op, List<String> inputs, Attribute... attributes) {
        String name = op.toLowerCase(java.util.Locale.ROOT) + "_" + count++;
        nodes.add(new Node(name, op, inputs, List.of(name), List.of(attributes)));
        return name;
    }

    /** The model (opset 13) whose output is the last node's. */
    OnnxModel model() {
        return model(OnnxModel.DEFAULT_OPSET);
    }

    /** The model in another opset of the default domain. */
    OnnxModel model(int opset) {
        Dim[] dims = new Dim[input.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i == 0 ? Dim.named("N") : Dim.of(input.dim(i));
        }
        String out = nodes.get(nodes.size() - 1).outputs().get(0);
        OnnxModel m = OnnxModel.of("case", List.of(ValueInfo.of("x", ElementType.FLOAT, dims)),
                List.of(new ValueInfo(out, ElementType.FLOAT, java.util.Optional.empty())), nodes, initializers);
        return new OnnxModel(m.irVersion(), opset, m.producerName(), m.graphName(), m.graphInputs(), m.outputs(),
                m.nodes(), m.initializers());
    }
}
