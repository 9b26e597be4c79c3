package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.module.Add;
import dev.nabla.module.AvgPool2d;
import dev.nabla.module.BatchNorm;
import dev.nabla.module.ChannelAffine;
import dev.nabla.module.Clip;
import dev.nabla.module.Concat;
import dev.nabla.module.Conv2d;
import dev.nabla.module.Dropout;
import dev.nabla.module.Flatten;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.LeakyReLU;
import dev.nabla.module.Linear;
import dev.nabla.module.MaxPool2d;
import dev.nabla.module.Module;
import dev.nabla.module.Mul;
import dev.nabla.module.Pad;
import dev.nabla.module.ReLU;
import dev.nabla.module.ReLU6;
import dev.nabla.module.Reshape;
import dev.nabla.module.Sigmoid;
import dev.nabla.module.Softmax;
import dev.nabla.module.Sub;
import dev.nabla.module.Tanh;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Each exportable module as ONNX nodes of opset 13; the last node's output value is the module's path. */
final class ModuleExport {
    /** The module types that export, as the error for any other lists them. */
    static final String SUPPORTED = "Add, AvgPool2d, BatchNorm1d, BatchNorm2d, ChannelAffine, Clip, Concat, Conv2d,"
            + " Dropout, Flatten, GlobalAvgPool, LeakyReLU, Linear, MaxPool2d, Mul, Pad, ReLU, ReLU6, Reshape, Sigmoid,"
            + " Softmax, Sub, Tanh, and Graph or Sequential of them";

    /** Modules that are one ONNX op of the same inputs and no attributes. */
    private static final Map<Class<? extends Module>, String> SIMPLE = Map.of(ReLU.class, "Relu", Sigmoid.class,
            "Sigmoid", Tanh.class, "Tanh", Add.class, "Add", Mul.class, "Mul", Sub.class, "Sub");

    private ModuleExport() {
    }

    /** Writes module {@code m} at {@code path}, reading the values {@code in} of shapes {@code shapes}. */
    static String write(ExportedGraph g, String path, Module m, List<String> in, List<Shape> shapes) {
        String simple = SIMPLE.get(m.getClass());
        if (simple != null) {
            return g.node(path, simple, in);
        }
        if (m instanceof GlobalAvgPool) {
            // ONNX's global pooling keeps (N, C, 1, 1), Nabla's gives (N, C): a Flatten makes them agree.
            String pooled = g.node(path, path + "_4d", "GlobalAveragePool", in);
            return g.node(path + "_flatten", path, "Flatten", List.of(pooled), Attribute.ofInt("axis", 1));
        }
        if (m instanceof Conv2d c) {
            return conv(g, path, c, in.get(0));
        }
        if (m instanceof Linear l) {
            return linear(g, path, l, in.get(0));
        }
        if (m instanceof BatchNorm bn) {
            return g.node(path, "BatchNormalization", List.of(in.get(0), g.tensor(bn.weight().value(), path + ".weight"),
                    g.tensor(bn.bias().value(), path + ".bias"), g.tensor(bn.runningMean(), path + ".running_mean"),
                    g.tensor(bn.runningVar(), path + ".running_var")), Attribute.ofFloat("epsilon", (float) bn.eps()),
                    Attribute.ofFloat("momentum", (float) (1 - bn.momentum())));
        }
        if (m instanceof ReLU6) {
            return clip(g, path, in.get(0), 0, dev.nabla.nn.ReLU6.CAP);
        }
        if (m instanceof Clip c) {
            return clip(g, path, in.get(0), c.lo(), c.hi());
        }
        if (m instanceof LeakyReLU l) {
            return g.node(path, "LeakyRelu", in, Attribute.ofFloat("alpha", (float) l.alpha()));
        }
        if (m instanceof Softmax) {
            return g.node(path, "Softmax", in, Attribute.ofInt("axis", 1));
        }
        if (m instanceof Dropout d) {
            return g.node(path, "Dropout", List.of(in.get(0), scalar(g, path + ".ratio", d.p())));
        }
        if (m instanceof MaxPool2d p) {
            dev.nabla.nn.MaxPool2d.Spec s = p.spec();
            return g.node(path, "MaxPool", in, Attribute.ofInts("kernel_shape", s.poolH(), s.poolW()),
                    Attribute.ofInts("strides", s.strideH(), s.strideW()),
                    Attribute.ofInts("pads", s.padTop(), s.padLeft(), s.padBottom(), s.padRight()));
        }
        if (m instanceof AvgPool2d p) {
            dev.nabla.nn.AvgPool2d.Spec s = p.spec();
            return g.node(path, "AveragePool", in, Attribute.ofInts("kernel_shape", s.poolH(), s.poolW()),
                    Attribute.ofInts("strides", s.strideH(), s.strideW()),
                    Attribute.ofInts("pads", s.padTop(), s.padLeft(), s.padBottom(), s.padRight()),
                    Attribute.ofInt("count_include_pad", s.countIncludePad() ? 1 : 0));
        }
        if (m instanceof Concat) {
            return g.node(path, "Concat", in, Attribute.ofInt("axis", 1));
        }
        if (m instanceof Flatten) {
            return g.node(path, "Flatten", in, Attribute.ofInt("axis", 1));
        }
        if (m instanceof Reshape r) {
            long[] shape = new long[r.target().length + 1];
            for (int i = 0; i < r.target().length; i++) {
                shape[i + 1] = r.target()[i];
            }
            return g.node(path, "Reshape", List.of(in.get(0), g.constant(OnnxTensor.ofLongs(path + ".shape",
                    Shape.of(shape.length), shape))));
        }
        if (m instanceof ChannelAffine a) {
            return channelAffine(g, path, a, in.get(0), shapes.get(0).rank());
        }
        if (m instanceof Pad p) {
            dev.nabla.nn.Pad.Spec s = p.spec();
            return g.node(path, "Pad", List.of(in.get(0), g.constant(OnnxTensor.ofLongs(path + ".pads", Shape.of(8),
                    0, 0, s.top(), s.left(), 0, 0, s.bottom(), s.right()))), Attribute.ofString("mode", "constant"));
        }
        throw new IllegalArgumentException("OnnxExporter: node '" + path + "' (" + m.kind() + ") cannot be exported;"
                + " supported: " + SUPPORTED);
    }

    private static String conv(ExportedGraph g, String path, Conv2d c, String x) {
        dev.nabla.nn.Conv2d.Spec s = c.spec();
        Shape w = c.weight().value().shape();
        List<String> in = new ArrayList<>(List.of(x, g.tensor(c.weight().value(), path + ".weight")));
        if (c.bias() != null) {
            in.add(g.tensor(c.bias().value(), path + ".bias"));
        }
        return g.node(path, "Conv", in, Attribute.ofInts("kernel_shape", w.dim(2), w.dim(3)),
                Attribute.ofInts("strides", s.strideH(), s.strideW()),
                Attribute.ofInts("pads", s.padTop(), s.padLeft(), s.padBottom(), s.padRight()),
                Attribute.ofInts("dilations", 1, 1), Attribute.ofInt("group", s.groups()));
    }

    /** Gemm with {@code transB = 1}: the weight in ONNX's and PyTorch's (out, in) layout, Nabla's transposed. */
    private static String linear(ExportedGraph g, String path, Linear l, String x) {
        Tensor w = l.weight().value();
        int in = l.inFeatures();
        int out = l.outFeatures();
        float[] v = w.toFloatArray();
        float[] transposed = new float[v.length];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                transposed[j * in + i] = v[i * out + j];
            }
        }
        List<String> inputs = new ArrayList<>(List.of(x, g.tensor(w, path + ".weight", Shape.of(out, in), transposed)));
        if (l.bias() != null) {
            inputs.add(g.tensor(l.bias().value(), path + ".bias"));
        }
        return g.node(path, "Gemm", inputs, Attribute.ofInt("transB", 1));
    }

    /** Clip with its bounds as inputs (opset 11 on); an infinite bound is left out. */
    private static String clip(ExportedGraph g, String path, String x, double lo, double hi) {
        String min = Double.isInfinite(lo) ? "" : scalar(g, path + ".min", lo);
        String max = Double.isInfinite(hi) ? "" : scalar(g, path + ".max", hi);
        return g.node(path, "Clip", List.of(x, min, max));
    }

    /** Mul by the scale and Add of the shift, each shaped (C, 1, ..., 1) to broadcast over the channel axis. */
    private static String channelAffine(ExportedGraph g, String path, ChannelAffine a, String x, int rank) {
        int[] dims = new int[rank - 1];
        Arrays.fill(dims, 1);
        dims[0] = a.channels();
        Shape shape = Shape.of(dims);
        float[] scale = a.scale().toFloatArray();
        float[] shift = a.shift().toFloatArray();
        boolean scales = !allEqual(scale, 1);
        boolean shifts = !allEqual(shift, 0);
        String v = x;
        if (scales) {
            v = g.node(shifts ? path + "_scale" : path, "Mul", List.of(v, g.tensor(a.scale(), path + ".scale", shape,
                    scale)));
        }
        if (shifts || !scales) {
            v = g.node(path, "Add", List.of(v, g.tensor(a.shift(), path + ".shift", shape, shift)));
        }
        return v;
    }

    private static boolean allEqual(float[] v, float value) {
        for (float f : v) {
            if (f != value) {
                return false;
            }
        }
        return true;
    }

    private static String scalar(ExportedGraph g, String name, double value) {
        return g.constant(OnnxTensor.ofFloats(name, Shape.of(), (float) value));
    }
}
