package dev.nabla.onnx;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One node of the graph: name, op type, input and output value names (an empty input name is an omitted optional
 * input, as in ONNX), and attributes. The typed getters take the default the operator's ONNX definition gives, and
 * fail with {@link IllegalArgumentException} naming the node when the attribute has another type.
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs,
                   List<Attribute> attributes) {

    /** Copies the lists and checks that the attribute names are distinct. */
    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opType, "opType");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
        Set<String> seen = new HashSet<>();
        for (Attribute a : attributes) {
            if (!seen.add(a.name())) {
                throw new IllegalArgumentException("node '" + name + "' (" + opType + "): attribute '" + a.name()
                        + "' is given twice");
            }
        }
    }

    /** The attribute of that name, if the node has it. */
    public Optional<Attribute> attribute(String attributeName) {
        for (Attribute a : attributes) {
            if (a.name().equals(attributeName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether the node has that attribute. */
    public boolean has(String attributeName) {
        return attribute(attributeName).isPresent();
    }

    /** An INT attribute, or {@code fallback} when absent. */
    public long getInt(String attributeName, long fallback) {
        return typed(attributeName, Attribute.Type.INT).map(Attribute::asInt).orElse(fallback);
    }

    /** An INTS attribute, or {@code fallback} when absent. */
    public long[] getInts(String attributeName, long... fallback) {
        return typed(attributeName, Attribute.Type.INTS).map(Attribute::asInts).orElse(fallback.clone());
    }

    /** A FLOAT attribute, or {@code fallback} when absent. */
    public float getFloat(String attributeName, float fallback) {
        return typed(attributeName, Attribute.Type.FLOAT).map(Attribute::asFloat).orElse(fallback);
    }

    /** A FLOATS attribute, or {@code fallback} when absent. */
    public float[] getFloats(String attributeName, float... fallback) {
        return typed(attributeName, Attribute.Type.FLOATS).map(Attribute::asFloats).orElse(fallback.clone());
    }

    /** A STRING attribute, or {@code fallback} when absent. */
    public String getString(String attributeName, String fallback) {
        return typed(attributeName, Attribute.Type.STRING).map(Attribute::asString).orElse(fallback);
    }

    /** A TENSOR attribute, which must be there. */
    public OnnxTensor getTensor(String attributeName) {
        return typed(attributeName, Attribute.Type.TENSOR).map(Attribute::asTensor).orElseThrow(
                () -> new IllegalArgumentException(this + ": has no attribute '" + attributeName + "'"));
    }

    private Optional<Attribute> typed(String attributeName, Attribute.Type type) {
        Optional<Attribute> found = attribute(attributeName);
        if (found.isPresent() && found.get().type() != type) {
            throw new IllegalArgumentException(this + ": attribute '" + attributeName + "' is "
                    + found.get().type() + ", not " + type);
        }
        return found;
    }

    /** The node as error messages name it: {@code node 'name' (OpType)}. */
    @Override
    public String toString() {
        return describe(name, opType);
    }

    static String describe(String name, String opType) {
        return "node '" + name + "' (" + opType + ")";
    }
}
