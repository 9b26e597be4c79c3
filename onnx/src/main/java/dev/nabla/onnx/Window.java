package dev.nabla.onnx;

import java.util.Arrays;

/**
 * The window attributes Conv, MaxPool and AveragePool share, read and checked: kernel size, strides and explicit
 * padding (ONNX's {@code pads} are [top, left, bottom, right] for two spatial axes). What Nabla does not compute is
 * refused: dilations other than 1, and {@code auto_pad} SAME_UPPER / SAME_LOWER (their padding depends on the
 * input size, which the graph does not fix).
 */
record Window(int kernelH, int kernelW, int strideH, int strideW, int top, int left, int bottom, int right) {

    /** The window of the node being translated, whose kernel is {@code kernelH x kernelW}. */
    static Window of(Translation t, int kernelH, int kernelW) throws OnnxFormatException {
        Node n = t.node();
        if (n.has("kernel_shape")) {
            long[] k = n.getInts("kernel_shape");
            if (k.length != 2 || k[0] != kernelH || k[1] != kernelW) {
                throw t.invalid("kernel_shape " + Arrays.toString(k) + " does not match the " + kernelH + "x" + kernelW
                        + " weight");
            }
        }
        long[] dilations = n.getInts("dilations", 1, 1);
        if (dilations.length != 2 || dilations[0] != 1 || dilations[1] != 1) {
            throw t.unsupported("dilations " + Arrays.toString(dilations) + " are not supported; supported: 1 on both"
                    + " spatial axes");
        }
        long[] strides = positive(t, "strides", n.getInts("strides", 1, 1), 2);
        String autoPad = n.getString("auto_pad", "NOTSET");
        long[] pads;
        switch (autoPad) {
            case "NOTSET" -> pads = n.getInts("pads", 0, 0, 0, 0);
            case "VALID" -> pads = new long[4];
            default -> throw t.unsupported("auto_pad " + autoPad + " is not supported; supported: NOTSET (with explicit"
                    + " pads) and VALID");
        }
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw t.unsupported("pads " + Arrays.toString(pads) + " are not supported; supported: 4 values >= 0"
                    + " (top, left, bottom, right of a 2-D window)");
        }
        return new Window(kernelH, kernelW, (int) strides[0], (int) strides[1], (int) pads[0], (int) pads[1],
                (int) pads[2], (int) pads[3]);
    }

    /** The window of a pooling node: its {@code kernel_shape}, which must be given and 2-D. */
    static Window ofPooling(Translation t) throws OnnxFormatException {
        long[] k = positive(t, "kernel_shape", t.node().getInts("kernel_shape"), 2);
        if (t.node().getInt("ceil_mode", 0) != 0) {
            throw t.unsupported("ceil_mode = 1 is not supported; supported: ceil_mode 0 (windows past the edge are"
                    + " dropped)");
        }
        return of(t, (int) k[0], (int) k[1]);
    }

    private static long[] positive(Translation t, String what, long[] v, int count) throws OnnxFormatException {
        if (v.length != count || Arrays.stream(v).anyMatch(x -> x < 1 || x > Integer.MAX_VALUE)) {
            throw t.unsupported(what + " " + Arrays.toString(v) + " is not supported; supported: " + count
                    + " positive values (a 2-D window on (N, C, H, W))");
        }
        return v;
    }
}
