package dev.nabla.io;

import dev.nabla.Shape;
import java.lang.reflect.Array;

/**
 * An array as a .npy file holds it: its C-order shape, its NumPy dtype string as written in the file (such as
 * {@code "<f4"}), and its values in Java form whatever the file's byte order: {@code float[]} for f4,
 * {@code double[]} for f8, {@code int[]} for i4, {@code long[]} for i8, {@code byte[]} (raw, read as unsigned)
 * for u1 and {@code boolean[]} for b1.
 *
 * <p>The {@code as...} methods return the data array itself when it already has the asked type (no copy) and
 * otherwise convert, but only where no value can change; anything else fails and names the method to use.
 */
public record NpyArray(Shape shape, String descr, Object data) {

    /** Checks that {@code data} is one of the supported arrays and holds exactly {@code shape}'s values. */
    public NpyArray {
        if (!(data instanceof float[] || data instanceof double[] || data instanceof int[]
                || data instanceof long[] || data instanceof byte[] || data instanceof boolean[])) {
            throw new IllegalArgumentException("NpyArray: unsupported data type "
                    + data.getClass().getSimpleName() + " for dtype '" + descr + "'");
        }
        int length = Array.getLength(data);
        if (length != shape.size()) {
            throw new IllegalArgumentException("NpyArray: shape " + shape + " holds " + shape.size()
                    + " values but the data has " + length);
        }
    }

    /** Number of values. */
    public int size() {
        return shape.intSize();
    }

    /** The values as floats: f4 as is, u1 and b1 converted. */
    public float[] asFloats() {
        if (data instanceof float[] values) {
            return values;
        }
        requireSmallIntegers("asFloats");
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = smallInteger(i);
        }
        return out;
    }

    /** The values as doubles: f8 as is, f4, i4, u1 and b1 converted. */
    public double[] asDoubles() {
        if (data instanceof double[] values) {
            return values;
        }
        double[] out = new double[size()];
        if (data instanceof float[] values) {
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
        } else if (data instanceof int[] values) {
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
        } else {
            requireSmallIntegers("asDoubles");
            for (int i = 0; i < out.length; i++) {
                out[i] = smallInteger(i);
            }
        }
        return out;
    }

    /** The values as ints: i4 as is, u1 and b1 converted. */
    public int[] asInts() {
        if (data instanceof int[] values) {
            return values;
        }
        requireSmallIntegers("asInts");
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = smallInteger(i);
        }
        return out;
    }

    /** The values as longs: i8 as is, i4, u1 and b1 converted. */
    public long[] asLongs() {
        if (data instanceof long[] values) {
            return values;
        }
        long[] out = new long[size()];
        if (data instanceof int[] values) {
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
        } else {
            requireSmallIntegers("asLongs");
            for (int i = 0; i < out.length; i++) {
                out[i] = smallInteger(i);
            }
        }
        return out;
    }

    private void requireSmallIntegers(String asked) {
        if (!(data instanceof byte[] || data instanceof boolean[])) {
            String own = data instanceof float[] ? "asFloats" : data instanceof double[] ? "asDoubles"
                    : data instanceof int[] ? "asInts" : "asLongs";
            throw new IllegalStateException("NpyArray: dtype '" + descr + "' cannot be read by " + asked
                    + "() without changing values; use " + own + "()");
        }
    }

    /** Value {@code i} of a u1 or b1 array: an unsigned byte, or 0/1. */
    private int smallInteger(int i) {
        return data instanceof byte[] bytes ? Byte.toUnsignedInt(bytes[i]) : ((boolean[]) data)[i] ? 1 : 0;
    }
}
