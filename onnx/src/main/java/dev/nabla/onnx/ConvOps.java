package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.module.AvgPool2d;
import dev.nabla.module.Conv2d;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.MaxPool2d;
import dev.nabla.module.Pad;
import java.util.List;
import java.util.Set;

/** The image ops: Conv, MaxPool, AveragePool, GlobalAveragePool and Pad, on (N, C, H, W) values. */
final class ConvOps {
    private ConvOps() {
    }

    static List<Op> ops() {
        return List.of(
                new Op("Conv", Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"),
                        ConvOps::conv),
                new Op("MaxPool", Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                        "storage_order", "strides"), ConvOps::maxPool),
                new Op("AveragePool", Set.of("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape",
                        "pads", "strides"), ConvOps::averagePool),
                new Op("GlobalAveragePool", Set.of(), ConvOps::globalAveragePool),
                new Op("Pad", Set.of("mode"), ConvOps::pad));
    }

    /** Input 0 as an image batch (N, C, H, W): the only layout of Nabla's 2-D layers. */
    static Value.Computed image(Translation t) throws OnnxFormatException {
        return t.computed(0, "the input", 4, "a batch of 2-D images (N, C, H, W)");
    }

    private static void conv(Translation t) throws OnnxFormatException {
        t.inputs(2, 3);
        t.oneOutput();
        Value.Computed x = image(t);
        OnnxTensor w = t.floating(t.constant(1, "the weight W"), "the weight W");
        if (w.shape().rank() != 4) {
            throw t.unsupported("the weight W has shape " + w.shape() + "; only 2-D convolution, W (M, C/group, kH,"
                    + " kW), is supported");
        }
        OnnxTensor b = t.given(2) ? t.floating(t.constant(2, "the bias B"), "the bias B") : null;
        Window win = Window.of(t, w.shape().dim(2), w.shape().dim(3));
        long group = t.node().getInt("group", 1);
        if (group < 1 || group > w.shape().dim(0)) {
            throw t.invalid("group = " + group + " does not divide the " + w.shape().dim(0) + " filters");
        }
        dev.nabla.nn.Conv2d.Spec spec = new dev.nabla.nn.Conv2d.Spec(win.strideH(), win.strideW(), win.top(),
                win.left(), win.bottom(), win.right(), (int) group);
        String name = t.paramName(w.name(), b == null ? null : b.name());
        t.define(t.add(name, t.reusable(() -> new Conv2d(t.tensor(w), b == null ? null : t.tensor(b), spec)), x));
    }

    private static void maxPool(Translation t) throws OnnxFormatException {
        t.inputs(1, 1);
        t.oneOutput();
        Value.Computed x = image(t);
        Window w = Window.ofPooling(t);
        if (t.node().getInt("storage_order", 0) != 0) {
            throw t.unsupported("storage_order = 1 is not supported; supported: 0 (row-major)");
        }
        dev.nabla.nn.MaxPool2d.Spec spec = new dev.nabla.nn.MaxPool2d.Spec(w.kernelH(), w.kernelW(), w.strideH(),
                w.strideW(), w.top(), w.left(), w.bottom(), w.right());
        t.define(t.add(t.node().name(), () -> new MaxPool2d(spec), x));
    }

    private static void averagePool(Translation t) throws OnnxFormatException {
        t.inputs(1, 1);
        t.oneOutput();
        Value.Computed x = image(t);
        Window w = Window.ofPooling(t);
        boolean includePad = t.node().getInt("count_include_pad", 0) != 0;
        t.define(t.add(t.node().name(), () -> new AvgPool2d(new dev.nabla.nn.AvgPool2d.Spec(w.kernelH(), w.kernelW(),
                w.strideH(), w.strideW(), w.top(), w.left(), w.bottom(), w.right(), includePad)), x));
    }

    /** Nabla's global pooling gives (N, C); ONNX's (N, C, 1, 1) is a view of it, free where a Flatten follows. */
    private static void globalAveragePool(Translation t) throws OnnxFormatException {
        t.inputs(1, 1);
        Value.Computed pooled = t.add(t.node().name(), GlobalAvgPool::new, image(t));
        t.define(pooled.view(Shape.of(pooled.shape().dim(0), pooled.shape().dim(1), 1, 1), pooled.slot() + "_4d"));
    }

    private static void pad(Translation t) throws OnnxFormatException {
        t.inputs(2, 4);
        t.oneOutput();
        String mode = t.node().getString("mode", "constant");
        if (!mode.equals("constant")) {
            throw t.unsupported("mode '" + mode + "' is not supported; supported: constant (zero padding)");
        }
        Value.Computed x = image(t);
        long[] p = t.longs(1, "pads");
        if (t.given(2) && t.scalar(2, "constant_value") != 0) {
            throw t.unsupported("a constant_value other than 0 is not supported; supported: zero padding");
        }
        if (t.given(3)) {
            throw t.unsupported("the axes input is not supported; supported: pads for all 4 axes");
        }
        if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0
                || java.util.Arrays.stream(p).anyMatch(v -> v < 0)) {
            throw t.unsupported("pads " + java.util.Arrays.toString(p) + " are not supported; supported: 8 values"
                    + " >= 0 that pad only H and W of (N, C, H, W)");
        }
        dev.nabla.nn.Pad.Spec spec = new dev.nabla.nn.Pad.Spec((int) p[2], (int) p[3], (int) p[6], (int) p[7]);
        t.define(t.add(t.node().name(), () -> new Pad(spec), x));
    }
}
