package dev.nabla.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * libnd4j's own operations, called by name with their integer arguments spelled out.
 *
 * <p>All arrays are NCHW; every output is allocated by the caller, so no op allocates behind our back.
 * The argument layouts are those of libnd4j's {@code conv2d}, {@code conv2d_bp}, {@code maxpool2d},
 * {@code maxpool2d_bp}, {@code avgpool2d} and {@code avgpool2d_bp} declarations (ops/declarable/generic/nn/convo and .../pooling).
 */
final class LibNd4j {
    /** iArg 9 of the convolution and iArg 10 of the pooling ops: the data layout, 0 = NCHW. */
    private static final int NCHW = 0;
    /** iArg 10 of the convolution ops: the weight layout, 1 = [oC, iC, kH, kW], the course's (F, C, HH, WW). */
    private static final int WEIGHTS_OIHW = 1;
    /** iArg 8 of both: 0 = explicit padding ("VALID" plus the given pads), output size rounded down. */
    private static final int EXPLICIT_PADDING = 0;

    private LibNd4j() {
    }

    /** {@code out = conv2d(x, w) + b} with symmetric padding (padH on top and bottom, padW left and right). */
    static void conv2d(INDArray x, INDArray w, INDArray b, int strideH, int strideW, int padH, int padW,
                       INDArray out) {
        exec(op("conv2d", convArgs(w, strideH, strideW, padH, padW)).addInputs(x, w, b).addOutputs(out));
    }

    /** dX and dW of {@link #conv2d} for the upstream gradient {@code dout} (no bias: its gradient is a plain sum). */
    static void conv2dBackward(INDArray x, INDArray w, INDArray dout, int strideH, int strideW, int padH, int padW,
                               INDArray dx, INDArray dw) {
        exec(op("conv2d_bp", convArgs(w, strideH, strideW, padH, padW)).addInputs(x, w, dout).addOutputs(dx, dw));
    }

    /** Max pooling without padding; windows past the edge are dropped. */
    static void maxPool2d(INDArray x, int poolH, int poolW, int strideH, int strideW, INDArray out) {
        exec(op("maxpool2d", poolArgs(poolH, poolW, strideH, strideW)).addInputs(x).addOutputs(out));
    }

    /** The gradient of {@link #maxPool2d}: each window's upstream gradient goes to its (first) maximum. */
    static void maxPool2dBackward(INDArray x, INDArray dout, int poolH, int poolW, int strideH, int strideW,
                                  INDArray dx) {
        exec(op("maxpool2d_bp", poolArgs(poolH, poolW, strideH, strideW)).addInputs(x, dout).addOutputs(dx));
    }

    /** Average pooling without padding: every window lies inside x and is divided by its area. */
    static void avgPool2d(INDArray x, int poolH, int poolW, int strideH, int strideW, INDArray out) {
        exec(op("avgpool2d", poolArgs(poolH, poolW, strideH, strideW)).addInputs(x).addOutputs(out));
    }

    /** The gradient of {@link #avgPool2d}: each window's upstream gradient divided by its area over the window. */
    static void avgPool2dBackward(INDArray x, INDArray dout, int poolH, int poolW, int strideH, int strideW,
                                  INDArray dx) {
        exec(op("avgpool2d_bp", poolArgs(poolH, poolW, strideH, strideW)).addInputs(x, dout).addOutputs(dx));
    }

    /** {@code out[i] = table[ids[i]]}, rows gathered along axis 0. */
    static void gatherRows(INDArray table, INDArray ids, INDArray out) {
        exec(op("gather", new int[] {0}).addInputs(table, ids).addOutputs(out));
    }

    private static int[] convArgs(INDArray w, int strideH, int strideW, int padH, int padW) {
        return new int[] {(int) w.size(2), (int) w.size(3), strideH, strideW, padH, padW, 1, 1, EXPLICIT_PADDING, NCHW,
            WEIGHTS_OIHW};
    }

    private static int[] poolArgs(int poolH, int poolW, int strideH, int strideW) {
        // kH, kW, sH, sW, pH, pW, dH, dW, padding mode, extraParam0 (the divisor of average pooling when a window
        // overlaps padding; there is none here), layout.
        return new int[] {poolH, poolW, strideH, strideW, 0, 0, 1, 1, EXPLICIT_PADDING, 0, NCHW};
    }

    private static DynamicCustomOp.DynamicCustomOpsBuilder op(String name, int[] iArgs) {
        return DynamicCustomOp.builder(name).addIntegerArguments(iArgs);
    }

    private static void exec(DynamicCustomOp.DynamicCustomOpsBuilder op) {
        Nd4j.exec(op.build());
    }
}
