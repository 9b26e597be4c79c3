package dev.nabla.onnx;

import dev.nabla.module.BatchNorm1d;
import dev.nabla.module.BatchNorm2d;
import dev.nabla.module.Clip;
import dev.nabla.module.Dropout;
import dev.nabla.module.LeakyReLU;
import dev.nabla.module.Module;
import dev.nabla.module.ReLU;
import dev.nabla.module.ReLU6;
import dev.nabla.module.Sigmoid;
import dev.nabla.module.Softmax;
import dev.nabla.module.Tanh;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ops that keep their input's shape: activations, Softmax, Dropout and BatchNormalization (inference form,
 * imported as a batch norm whose running statistics are the file's, so the network can be trained on).
 */
final class ActivationOps {
    private ActivationOps() {
    }

    static List<Op> ops() {
        return List.of(
                new Op("Relu", Set.of(), t -> simple(t, ReLU::new)),
                new Op("Sigmoid", Set.of(), t -> simple(t, Sigmoid::new)),
                new Op("Tanh", Set.of(), t -> simple(t, Tanh::new)),
                new Op("LeakyRelu", Set.of("alpha"), t -> {
                    double alpha = OnnxImporter.decimal(t.node().getFloat("alpha", 0.01f));
                    simple(t, () -> new LeakyReLU(alpha));
                }),
                new Op("Clip", Set.of("min", "max"), ActivationOps::clip),
                new Op("Softmax", Set.of("axis"), ActivationOps::softmax),
                new Op("Dropout", Set.of("ratio", "seed"), ActivationOps::dropout),
                new Op("BatchNormalization", Set.of("epsilon", "momentum", "training_mode"),
                        ActivationOps::batchNorm));
    }

    /** An op of one input and no optional ones. */
    private static void simple(Translation t, Supplier<Module> make) throws OnnxFormatException {
        t.inputs(1, 1);
        unary(t, make);
    }

    /** The module applied to input 0, the node's only output. */
    private static void unary(Translation t, Supplier<Module> make) throws OnnxFormatException {
        t.oneOutput();
        t.define(t.add(t.node().name(), make, t.computed(0, "the input")));
    }

    /** Bounds from the inputs (opset 11 on) or the attributes (older files), each optional; [0, 6] is ReLU6. */
    private static void clip(Translation t) throws OnnxFormatException {
        t.inputs(1, 3);
        Node n = t.node();
        double lo = n.has("min") ? OnnxImporter.decimal(n.getFloat("min", 0)) : Double.NEGATIVE_INFINITY;
        double hi = n.has("max") ? OnnxImporter.decimal(n.getFloat("max", 0)) : Double.POSITIVE_INFINITY;
        if (t.given(1)) {
            lo = t.scalar(1, "min");
        }
        if (t.given(2)) {
            hi = t.scalar(2, "max");
        }
        if (!(lo <= hi)) {
            throw t.unsupported("min " + lo + " > max " + hi + " is not supported; supported: min <= max");
        }
        double min = lo;
        double max = hi;
        unary(t, min == 0 && max == dev.nabla.nn.ReLU6.CAP ? ReLU6::new : () -> new Clip(min, max));
    }

    /** Over the classes of (N, C) scores only: axis 1 (opset 13's default -1 is the same axis). */
    private static void softmax(Translation t) throws OnnxFormatException {
        t.inputs(1, 1);
        Value.Computed x = t.computed(0, "the input");
        long axis = t.node().getInt("axis", t.opset() >= 13 ? -1 : 1);
        if (x.shape().rank() != 2 || (axis != 1 && axis != -1)) {
            throw t.unsupported("axis " + axis + " of an input of shape " + x.shape() + " is not supported; supported:"
                    + " axis 1 of (N, C) scores");
        }
        unary(t, Softmax::new);
    }

    /**
     * A Dropout module with the ratio of the file (input 1 from opset 12, attribute before; 0.5 if absent): the
     * identity in inference, as in ONNX, and dropping in training. Its masks come from the import's seed; the
     * node's own {@code seed} attribute, which ONNX uses only in training mode, is not taken over.
     */
    private static void dropout(Translation t) throws OnnxFormatException {
        t.inputs(1, 3);
        t.oneOutput();
        if (t.given(2)) {
            throw t.unsupported("the training_mode input is not supported; supported: the inference form (no"
                    + " training_mode)");
        }
        double ratio = t.given(1) ? t.scalar(1, "ratio") : OnnxImporter.decimal(t.node().getFloat("ratio", 0.5f));
        if (!(ratio >= 0 && ratio < 1)) {
            throw t.invalid("ratio " + ratio + " is not in [0, 1)");
        }
        long seed = t.nextDropoutSeed();
        unary(t, () -> new Dropout(ratio, seed));
    }

    /**
     * The inference form: {@code y = scale (x - mean) / sqrt(var + epsilon) + B}, all four constants of shape (C).
     * ONNX's momentum weighs the old running value ({@code 0.9} by default), PyTorch's and Nabla's the batch's,
     * so Nabla's momentum is {@code 1 - momentum}.
     */
    private static void batchNorm(Translation t) throws OnnxFormatException {
        t.inputs(5, 5);
        t.oneOutput();
        Node n = t.node();
        if (n.getInt("training_mode", 0) != 0) {
            throw t.unsupported("training_mode = 1 is not supported; supported: the inference form, training_mode 0");
        }
        Value.Computed x = t.computed(0, "the input X");
        int rank = x.shape().rank();
        if (rank != 2 && rank != 4) {
            throw t.unsupported("the input X has shape " + x.shape() + "; supported: (N, C) and (N, C, H, W)");
        }
        String[] roles = {"scale", "B", "input_mean", "input_var"};
        OnnxTensor[] p = new OnnxTensor[4];
        for (int i = 0; i < 4; i++) {
            p[i] = t.floating(t.constant(i + 1, roles[i]), roles[i]);
        }
        double eps = OnnxImporter.decimal(n.getFloat("epsilon", 1e-5f));
        double momentum = OnnxImporter.complement(n.getFloat("momentum", 0.9f));
        String name = t.paramName(p[0].name(), p[1].name(), p[2].name(), p[3].name());
        t.define(t.add(name, t.reusable(() -> rank == 4
                ? new BatchNorm2d(t.tensor(p[0]), t.tensor(p[1]), t.tensor(p[2]), t.tensor(p[3]), eps, momentum)
                : new BatchNorm1d(t.tensor(p[0]), t.tensor(p[1]), t.tensor(p[2]), t.tensor(p[3]), eps, momentum)), x));
    }
}
