package dev.nabla.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One attribute of a node: its name, its {@linkplain Type type} and its value, read with the accessor of that
 * type. Immutable: the array accessors return copies.
 */
public final class Attribute {

    /** The attribute types this reader takes (subgraphs, sparse tensors and type protos are refused on reading). */
    public enum Type {
        INT, INTS, FLOAT, FLOATS, STRING, STRINGS, TENSOR
    }

    private final String name;
    private final Type type;
    private final Object value;

    private Attribute(String name, Type type, Object value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Attribute: the name is empty");
        }
        this.name = name;
        this.type = type;
        this.value = Objects.requireNonNull(value, "value");
    }

    /** An INT attribute. */
    public static Attribute ofInt(String name, long value) {
        return new Attribute(name, Type.INT, value);
    }

    /** An INTS attribute (copied). */
    public static Attribute ofInts(String name, long... values) {
        return new Attribute(name, Type.INTS, values.clone());
    }

    /** A FLOAT attribute. */
    public static Attribute ofFloat(String name, float value) {
        return new Attribute(name, Type.FLOAT, value);
    }

    /** A FLOATS attribute (copied). */
    public static Attribute ofFloats(String name, float... values) {
        return new Attribute(name, Type.FLOATS, values.clone());
    }

    /** A STRING attribute. */
    public static Attribute ofString(String name, String value) {
        return new Attribute(name, Type.STRING, value);
    }

    /** A STRINGS attribute. */
    public static Attribute ofStrings(String name, List<String> values) {
        return new Attribute(name, Type.STRINGS, List.copyOf(values));
    }

    /** A TENSOR attribute, such as a {@code Constant} node's {@code value}. */
    public static Attribute ofTensor(String name, OnnxTensor value) {
        return new Attribute(name, Type.TENSOR, value);
    }

    /** The attribute's name. */
    public String name() {
        return name;
    }

    /** Which accessor reads the value. */
    public Type type() {
        return type;
    }

    /** An INT value. */
    public long asInt() {
        return (Long) as(Type.INT);
    }

    /** An INTS value. */
    public long[] asInts() {
        return ((long[]) as(Type.INTS)).clone();
    }

    /** A FLOAT value. */
    public float asFloat() {
        return (Float) as(Type.FLOAT);
    }

    /** A FLOATS value. */
    public float[] asFloats() {
        return ((float[]) as(Type.FLOATS)).clone();
    }

    /** A STRING value (the file's bytes read as UTF-8). */
    public String asString() {
        return (String) as(Type.STRING);
    }

    /** A STRINGS value. */
    @SuppressWarnings("unchecked")
    public List<String> asStrings() {
        return (List<String>) as(Type.STRINGS);
    }

    /** A TENSOR value. */
    public OnnxTensor asTensor() {
        return (OnnxTensor) as(Type.TENSOR);
    }

    private Object as(Type asked) {
        if (type != asked) {
            throw new IllegalStateException("attribute '" + name + "' is " + type + ", not " + asked);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute a && name.equals(a.name) && type == a.type
                && ArrayValues.equal(value, a.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, ArrayValues.hash(value));
    }

    @Override
    public String toString() {
        String shown = value instanceof long[] v ? Arrays.toString(v)
                : value instanceof float[] v ? Arrays.toString(v) : String.valueOf(value);
        return name + "=" + shown;
    }
}
