package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.module.Linear;
import java.util.List;
import java.util.Set;

/**
 * Gemm and MatMul with a constant weight, as {@link Linear} layers: Nabla keeps the weight (in, out), so Gemm's
 * {@code transB = 1} weight (out, in), PyTorch's layout, is transposed at import; alpha and beta are folded into the
 * weight and the bias; a MatMul, or a Gemm without C, is a Linear without a bias.
 */
final class DenseOps {
    private DenseOps() {
    }

    static List<Op> ops() {
        return List.of(new Op("Gemm", Set.of("alpha", "beta", "transA", "transB"), DenseOps::gemm),
                new Op("MatMul", Set.of(), DenseOps::matMul));
    }

    /** Input 0 as rows of features (N, K): the batch on axis 0. */
    private static Value.Computed rows(Translation t) throws OnnxFormatException {
        return t.computed(0, "the input A", 2, "(N, K), rows of features (put a Flatten before)");
    }

    /** Input 1, the constant weight matrix. */
    private static OnnxTensor weight(Translation t) throws OnnxFormatException {
        OnnxTensor b = t.floating(t.constant(1, "the weight B"), "the weight B");
        if (b.shape().rank() != 2) {
            throw t.unsupported("the weight B has shape " + b.shape() + "; a 2-D matrix is supported");
        }
        return b;
    }

    private static void gemm(Translation t) throws OnnxFormatException {
        t.inputs(2, 3);
        t.oneOutput();
        Node n = t.node();
        if (n.getInt("transA", 0) != 0) {
            throw t.unsupported("transA = 1 is not supported; supported: transA 0, the data A as (N, K) with the"
                    + " batch on axis 0");
        }
        Value.Computed a = rows(t);
        OnnxTensor b = weight(t);
        boolean transB = n.getInt("transB", 0) != 0;
        double alpha = OnnxImporter.decimal(n.getFloat("alpha", 1f));
        double beta = OnnxImporter.decimal(n.getFloat("beta", 1f));
        int in = b.shape().dim(transB ? 1 : 0);
        int out = b.shape().dim(transB ? 0 : 1);
        double[] w = b.toDoubles();
        double[] weight = new double[w.length];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                weight[i * out + j] = alpha * w[transB ? j * in + i : i * out + j];
            }
        }
        OnnxTensor c = t.given(2) && beta != 0 ? t.floating(t.constant(2, "the bias C"), "the bias C") : null;
        double[] bias = c == null ? null : bias(t, c, out, beta);
        String name = t.paramName(b.name(), c == null ? null : c.name());
        t.define(t.add(name, t.reusable(() -> new Linear(t.tensor(weight, Shape.of(in, out)),
                bias == null ? null : t.tensor(bias, Shape.of(out)))), a));
    }

    /** beta C as one bias per output; C must broadcast over the batch: a scalar, (out,) or (1, out). */
    private static double[] bias(Translation t, OnnxTensor c, int out, double beta) throws OnnxFormatException {
        int[] d = c.shape().dims();
        boolean scalar = c.size() == 1 && d.length <= 2;
        boolean row = (d.length == 1 && d[0] == out) || (d.length == 2 && d[0] == 1 && d[1] == out);
        if (!scalar && !row) {
            throw t.unsupported("the bias C has shape " + c.shape() + "; supported: a scalar, (" + out + ",) or (1, "
                    + out + "), the same for every sample");
        }
        double[] v = c.toDoubles();
        double[] bias = new double[out];
        for (int j = 0; j < out; j++) {
            bias[j] = beta * v[scalar ? 0 : j];
        }
        return bias;
    }

    private static void matMul(Translation t) throws OnnxFormatException {
        t.inputs(2, 2);
        Value.Computed a = rows(t);
        OnnxTensor b = weight(t);
        t.define(t.add(t.paramName(b.name()), t.reusable(() -> new Linear(t.tensor(b), null)), a));
    }
}
