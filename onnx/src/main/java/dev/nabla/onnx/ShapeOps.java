package dev.nabla.onnx;

import dev.nabla.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The ops that only move values around: Identity and Constant, and Flatten, Reshape, Squeeze and Unsqueeze with
 * constant shapes and axes. On a constant they are folded at import; on a computed value they give a view of it
 * (a reshape node only where a reader needs that shape), which must keep the batch on axis 0.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    static List<Op> ops() {
        return List.of(
                new Op("Identity", Set.of(), t -> {
                    t.inputs(1, 1);
                    t.define(t.input(0));
                }),
                new Op("Constant", Set.of("value", "value_float", "value_floats", "value_int", "value_ints",
                        "value_string", "value_strings", "sparse_value"), ShapeOps::constant),
                new Op("Flatten", Set.of("axis"), ShapeOps::flatten),
                new Op("Reshape", Set.of("allowzero"), ShapeOps::reshape),
                new Op("Squeeze", Set.of("axes"), t -> squeeze(t, true)),
                new Op("Unsqueeze", Set.of("axes"), t -> squeeze(t, false)));
    }

    private static void constant(Translation t) throws OnnxFormatException {
        Node n = t.node();
        String name = n.outputs().get(0);
        OnnxTensor value;
        if (n.has("value")) {
            value = n.getTensor("value");
        } else if (n.has("value_float")) {
            value = OnnxTensor.ofFloats(name, Shape.of(), n.getFloat("value_float", 0));
        } else if (n.has("value_floats")) {
            float[] v = n.getFloats("value_floats");
            value = OnnxTensor.ofFloats(name, Shape.of(v.length), v);
        } else if (n.has("value_int")) {
            value = OnnxTensor.ofLongs(name, Shape.of(), n.getInt("value_int", 0));
        } else if (n.has("value_ints")) {
            long[] v = n.getInts("value_ints");
            value = OnnxTensor.ofLongs(name, Shape.of(v.length), v);
        } else {
            throw t.unsupported("the value is not supported; supported: value (a FLOAT, DOUBLE, INT32 or INT64"
                    + " tensor), value_float(s) and value_int(s)");
        }
        t.define(new Value.Constant(value));
    }

    /** Flatten of a computed value keeps the batch: axis 1 only. A constant may be flattened at any axis. */
    private static void flatten(Translation t) throws OnnxFormatException {
        t.inputs(1, 1);
        Value x = t.input(0);
        int rank = x.shape().rank();
        long axis = t.node().getInt("axis", 1);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw t.invalid("axis " + axis + " is outside an input of rank " + rank);
        }
        int[] d = x.shape().dims();
        Shape out = Shape.of(product(d, 0, (int) a), product(d, (int) a, rank));
        if (x instanceof Value.Computed && a != 1) {
            throw t.unsupported("axis " + axis + " would fold the batch axis of " + x.shape() + "; supported: axis 1");
        }
        reshaped(t, x, out);
    }

    private static void reshape(Translation t) throws OnnxFormatException {
        t.inputs(2, 2);
        Value x = t.input(0);
        long[] spec = t.longs(1, "the shape");
        boolean allowZero = t.node().getInt("allowzero", 0) != 0;
        Shape in = x.shape();
        int[] out = new int[spec.length];
        int free = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            if (spec[i] == -1 && free < 0) {
                free = i;
            } else if (spec[i] == 0 && !allowZero && i < in.rank()) {
                out[i] = in.dim(i);
            } else if (spec[i] >= 1 && spec[i] <= Integer.MAX_VALUE) {
                out[i] = (int) spec[i];
            } else {
                throw t.unsupported("the shape " + Arrays.toString(spec) + " is not supported; supported: sizes >= 1,"
                        + " at most one -1, and 0 for \"as the input\" (allowzero 0)");
            }
            known *= free == i ? 1 : out[i];
        }
        if (free >= 0 && known > 0 && in.size() % known == 0) {
            out[free] = (int) (in.size() / known);
        }
        if (Shape.of(out).size() != in.size()) {
            throw t.invalid("the shape " + Arrays.toString(spec) + " does not fit an input of shape " + in);
        }
        if (x instanceof Value.Computed && !(out.length >= 1 && out[0] == in.dim(0)
                && (spec[0] == 0 || spec[0] == -1 || t.batchFixed()))) {
            throw t.unsupported("the shape " + Arrays.toString(spec) + " does not keep the batch axis 0 of " + in
                    + "; supported: a first entry 0, or -1 with the other sizes those of one sample");
        }
        reshaped(t, x, Shape.of(out));
    }

    /** Squeeze (dropping size-1 axes) or Unsqueeze (inserting them); axes from input 1 (opset 13 on) or the attribute. */
    private static void squeeze(Translation t, boolean squeeze) throws OnnxFormatException {
        t.inputs(1, 2);
        Value x = t.input(0);
        long[] axes = t.given(1) ? t.longs(1, "axes") : t.node().getInts("axes");
        if (axes.length == 0) {
            throw t.unsupported("no axes are given; supported: explicit axes (an implicit squeeze of every size-1 axis"
                    + " could drop a batch of 1)");
        }
        int rank = x.shape().rank();
        int outRank = squeeze ? rank - axes.length : rank + axes.length;
        int range = squeeze ? rank : outRank;
        boolean[] marked = new boolean[range];
        for (long a : axes) {
            long axis = a < 0 ? a + range : a;
            if (axis < 0 || axis >= range || marked[(int) axis]) {
                throw t.invalid("axes " + Arrays.toString(axes) + " do not fit an input of shape " + x.shape());
            }
            if (squeeze && x.shape().dim((int) axis) != 1) {
                throw t.invalid("axis " + a + " of " + x.shape() + " has size " + x.shape().dim((int) axis)
                        + ", not 1");
            }
            marked[(int) axis] = true;
        }
        if (x instanceof Value.Computed && marked[0]) {
            throw t.unsupported("axis 0 is the batch axis; supported: axes >= 1");
        }
        List<Integer> dims = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < range; i++) {
            if (squeeze && !marked[i]) {
                dims.add(x.shape().dim(i));
            } else if (!squeeze) {
                dims.add(marked[i] ? 1 : x.shape().dim(from++));
            }
        }
        reshaped(t, x, Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The node's output: {@code x} seen with {@code shape} (a folded constant, or a view of a computed value). */
    private static void reshaped(Translation t, Value x, Shape shape) {
        if (x instanceof Value.Constant c) {
            OnnxTensor v = c.tensor();
            t.define(new Value.Constant(OnnxTensor.wrap(t.node().outputs().get(0), v.elementType(), shape, v.data())));
        } else {
            t.define(((Value.Computed) x).view(shape, t.node().name()));
        }
    }

    private static int product(int[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= d[i];
        }
        return Math.toIntExact(p);
    }
}
