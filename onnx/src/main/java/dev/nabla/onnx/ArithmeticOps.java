package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.module.Add;
import dev.nabla.module.ChannelAffine;
import dev.nabla.module.Concat;
import dev.nabla.module.Module;
import dev.nabla.module.Mul;
import dev.nabla.module.Sub;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Add, Mul and Sub, of two computed values of the same shape or of a computed value and a constant that is a
 * scalar or one number per channel (a {@link ChannelAffine}); and Concat along the channels. Any other broadcasting
 * is refused.
 */
final class ArithmeticOps {
    private ArithmeticOps() {
    }

    private enum Kind {
        ADD(Add::new), MUL(Mul::new), SUB(Sub::new);

        final Supplier<Module> module;

        Kind(Supplier<Module> module) {
            this.module = module;
        }
    }

    static List<Op> ops() {
        return List.of(new Op("Add", Set.of(), t -> binary(t, Kind.ADD)),
                new Op("Mul", Set.of(), t -> binary(t, Kind.MUL)),
                new Op("Sub", Set.of(), t -> binary(t, Kind.SUB)),
                new Op("Concat", Set.of("axis"), ArithmeticOps::concat));
    }

    private static final String SUPPORTED = "supported: two computed values of the same shape, or a computed value"
            + " and a constant scalar or per-channel constant ((C,) for (N, C); (C, 1, 1) or (1, C, 1, 1) for"
            + " (N, C, H, W))";

    private static void binary(Translation t, Kind kind) throws OnnxFormatException {
        t.inputs(2, 2);
        Value a = t.input(0);
        Value b = t.input(1);
        if (a instanceof Value.Computed x && b instanceof Value.Computed y) {
            if (!x.shape().equals(y.shape())) {
                throw t.unsupported("broadcasting " + x.shape() + " with " + y.shape() + " is not supported; "
                        + SUPPORTED);
            }
            t.define(t.add(t.node().name(), kind.module, x, y));
            return;
        }
        if (a instanceof Value.Constant && b instanceof Value.Constant) {
            throw t.unsupported("both inputs are constants, and arithmetic on constants is not folded; " + SUPPORTED);
        }
        boolean constantFirst = a instanceof Value.Constant;
        Value.Computed x = (Value.Computed) (constantFirst ? b : a);
        OnnxTensor c = t.floating(((Value.Constant) (constantFirst ? a : b)).tensor(), "the constant");
        double[] v = perChannel(t, x.shape(), c);
        double[] scale = new double[v.length];
        double[] shift = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            switch (kind) {
                case ADD -> {
                    scale[i] = 1;
                    shift[i] = v[i];
                }
                case MUL -> scale[i] = v[i];
                case SUB -> {
                    scale[i] = constantFirst ? -1 : 1;
                    shift[i] = constantFirst ? v[i] : -v[i];
                }
                default -> throw new IllegalStateException(kind.name());
            }
        }
        Shape c1 = Shape.of(v.length);
        t.define(t.add(t.node().name(), () -> new ChannelAffine(t.tensor(scale, c1), t.tensor(shift, c1)), x));
    }

    /**
     * The constant as one value per channel of {@code x} (N, C, ...), by ONNX's (NumPy's) broadcasting: its dims,
     * aligned to x's last ones, must be 1 everywhere but on the channel axis, where they may be C.
     */
    private static double[] perChannel(Translation t, Shape x, OnnxTensor c) throws OnnxFormatException {
        int rank = x.rank();
        int[] d = c.shape().dims();
        boolean fits = rank >= 2 && d.length <= rank;
        boolean perChannel = false;
        for (int k = 0; fits && k < d.length; k++) {
            int axis = rank - d.length + k;
            perChannel |= axis == 1 && d[k] == x.dim(1) && d[k] != 1;
            fits = d[k] == 1 || (axis == 1 && d[k] == x.dim(1));
        }
        if (!fits) {
            throw t.unsupported("the constant '" + c.name() + "' of shape " + c.shape() + " does not broadcast per"
                    + " channel against " + x + "; " + SUPPORTED);
        }
        double[] v = new double[x.dim(1)];
        double[] values = c.toDoubles();
        for (int i = 0; i < v.length; i++) {
            v[i] = values[perChannel ? i : 0];
        }
        return v;
    }

    /** Along the channel axis 1, of computed values that agree on every other axis. */
    private static void concat(Translation t) throws OnnxFormatException {
        int n = t.node().inputs().size();
        if (n < 1) {
            throw t.invalid("has no inputs");
        }
        Value.Computed[] in = new Value.Computed[n];
        for (int i = 0; i < n; i++) {
            in[i] = t.computed(i, "input " + i);
        }
        int rank = in[0].shape().rank();
        long axis = t.node().getInt("axis", Long.MIN_VALUE);
        if (axis != 1 && axis != 1 - rank) {
            throw t.unsupported("axis " + (axis == Long.MIN_VALUE ? "(missing)" : axis) + " is not supported;"
                    + " supported: axis 1, the channels, of inputs " + Arrays.toString(Arrays.stream(in)
                    .map(Value::shape).toArray()));
        }
        t.define(t.add(t.node().name(), Concat::new, in));
    }
}
