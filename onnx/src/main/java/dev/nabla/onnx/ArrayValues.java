package dev.nabla.onnx;

import java.util.Arrays;

/** Equality and hashing for values that may be primitive arrays, which compare by content in this view. */
final class ArrayValues {
    private ArrayValues() {
    }

    static boolean equal(Object a, Object b) {
        return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
    }

    static int hash(Object value) {
        return Arrays.deepHashCode(new Object[] {value});
    }
}
