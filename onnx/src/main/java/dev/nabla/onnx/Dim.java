package dev.nabla.onnx;

/**
 * One dimension of a graph input or output: a fixed size ({@code dim_value}), a symbolic name ({@code dim_param},
 * such as the batch size "N"), or unknown (neither given).
 *
 * @param value the size when fixed, else -1
 * @param param the symbolic name when named, else null
 */
public record Dim(long value, String param) {
    /** A dimension of unknown size. */
    public static final Dim UNKNOWN = new Dim(-1, null);

    /** Checks that at most one of the two is set. */
    public Dim {
        if (param != null && (param.isEmpty() || value != -1)) {
            throw new IllegalArgumentException("Dim: a named dimension has a non-empty name and no size, got '"
                    + param + "' and " + value);
        }
        if (param == null && value < -1) {
            throw new IllegalArgumentException("Dim: size " + value + " is negative");
        }
    }

    /** A dimension of fixed size. */
    public static Dim of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Dim: size " + value + " is negative");
        }
        return new Dim(value, null);
    }

    /** A dimension known only by its symbolic name. */
    public static Dim named(String param) {
        return new Dim(-1, param);
    }

    /** Whether the size is fixed. */
    public boolean isFixed() {
        return param == null && value >= 0;
    }

    /** Whether the dimension is symbolic. */
    public boolean isNamed() {
        return param != null;
    }

    /** The size, the name, or "?". */
    @Override
    public String toString() {
        return isNamed() ? param : isFixed() ? Long.toString(value) : "?";
    }
}
