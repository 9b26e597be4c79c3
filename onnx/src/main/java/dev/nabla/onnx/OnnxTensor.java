package dev.nabla.onnx;

import dev.nabla.Shape;
import java.lang.reflect.Array;
import java.util.Objects;

/**
 * A decoded ONNX tensor (an initializer or a {@code Constant} value): name, element type, row-major shape and
 * values in Java form, {@code float[]} for FLOAT, {@code double[]} for DOUBLE, {@code int[]} for INT32 and
 * {@code long[]} for INT64. Immutable: the accessors return copies.
 */
public final class OnnxTensor {
    private final String name;
    private final ElementType elementType;
    private final Shape shape;
    private final Object data;

    private OnnxTensor(String name, ElementType elementType, Shape shape, Object data) {
        this.name = Objects.requireNonNull(name, "name");
        this.elementType = elementType;
        this.shape = Objects.requireNonNull(shape, "shape");
        int length = Array.getLength(data);
        if (length != shape.size()) {
            throw new IllegalArgumentException("OnnxTensor '" + name + "': shape " + shape + " holds " + shape.size()
                    + " values but " + length + " were given");
        }
        this.data = data;
    }

    /** A FLOAT tensor (the values are copied). */
    public static OnnxTensor ofFloats(String name, Shape shape, float... values) {
        return new OnnxTensor(name, ElementType.FLOAT, shape, values.clone());
    }

    /** A DOUBLE tensor (the values are copied). */
    public static OnnxTensor ofDoubles(String name, Shape shape, double... values) {
        return new OnnxTensor(name, ElementType.DOUBLE, shape, values.clone());
    }

    /** An INT32 tensor (the values are copied). */
    public static OnnxTensor ofInts(String name, Shape shape, int... values) {
        return new OnnxTensor(name, ElementType.INT32, shape, values.clone());
    }

    /** An INT64 tensor (the values are copied). */
    public static OnnxTensor ofLongs(String name, Shape shape, long... values) {
        return new OnnxTensor(name, ElementType.INT64, shape, values.clone());
    }

    /** Wraps freshly decoded values without copying them: the reader hands over arrays nobody else holds. */
    static OnnxTensor wrap(String name, ElementType elementType, Shape shape, Object data) {
        return new OnnxTensor(name, elementType, shape, data);
    }

    /** The tensor's name (empty for an unnamed {@code Constant} value). */
    public String name() {
        return name;
    }

    /** FLOAT, DOUBLE, INT32 or INT64. */
    public ElementType elementType() {
        return elementType;
    }

    /** The dimensions, outermost first; rank 0 for a scalar. */
    public Shape shape() {
        return shape;
    }

    /** Number of values. */
    public int size() {
        return shape.intSize();
    }

    /** The values of a FLOAT tensor. */
    public float[] floats() {
        return ((float[]) typed(ElementType.FLOAT)).clone();
    }

    /** The values of a DOUBLE tensor. */
    public double[] doubles() {
        return ((double[]) typed(ElementType.DOUBLE)).clone();
    }

    /** The values of an INT32 tensor. */
    public int[] ints() {
        return ((int[]) typed(ElementType.INT32)).clone();
    }

    /** The values of an INT64 tensor. */
    public long[] longs() {
        return ((long[]) typed(ElementType.INT64)).clone();
    }

    /** The values of any tensor as doubles (INT64 values beyond 2^53 lose precision). */
    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.getDouble(data, i);
        }
        return out;
    }

    /** The value at a flat row-major index, as a double: for spot checks. */
    public double get(int flatIndex) {
        return Array.getDouble(data, flatIndex);
    }

    /** The data array itself, for the writer, which only reads it. */
    Object data() {
        return data;
    }

    private Object typed(ElementType asked) {
        if (elementType != asked) {
            throw new IllegalStateException("OnnxTensor '" + name + "' is " + elementType + ", not " + asked);
        }
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxTensor t && name.equals(t.name) && elementType == t.elementType
                && shape.equals(t.shape) && ArrayValues.equal(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, elementType, shape, ArrayValues.hash(data));
    }

    @Override
    public String toString() {
        return "OnnxTensor '" + name + "' " + elementType + " " + shape;
    }
}
