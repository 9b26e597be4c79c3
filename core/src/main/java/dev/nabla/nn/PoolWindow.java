package dev.nabla.nn;

import dev.nabla.Shape;

/** A pooling window over (N, C, H, W): its size, strides and zero padding, shared by max and average pooling. */
public interface PoolWindow {
    /** Window height. */
    int poolH();

    /** Window width. */
    int poolW();

    /** Vertical stride. */
    int strideH();

    /** Horizontal stride. */
    int strideW();

    /** Padding above. */
    int padTop();

    /** Padding on the left. */
    int padLeft();

    /** Padding below. */
    int padBottom();

    /** Padding on the right. */
    int padRight();

    /** Output height for an input of height h (windows running past the padded edge are dropped). */
    default int outHeight(int h) {
        return (h + padTop() + padBottom() - poolH()) / strideH() + 1;
    }

    /** Output width for an input of width w. */
    default int outWidth(int w) {
        return (w + padLeft() + padRight() - poolW()) / strideW() + 1;
    }

    /** Whether {@code x} is (N, C, H, W) and holds at least one window, padding included. */
    default boolean fits(Shape x) {
        return x.rank() == 4 && x.dim(2) + padTop() + padBottom() >= poolH()
                && x.dim(3) + padLeft() + padRight() >= poolW();
    }

    /** The (N, C, OH, OW) output for an (N, C, H, W) input that {@link #fits} the window. */
    default Shape outputShape(Shape x) {
        return Shape.of(x.dim(0), x.dim(1), outHeight(x.dim(2)), outWidth(x.dim(3)));
    }

    /**
     * Validates a window's numbers, for the records' constructors: sizes and strides at least 1, paddings at
     * least 0 and smaller than the window (so that no window is all padding, as in PyTorch and ONNX Runtime).
     */
    static void check(String who, int poolH, int poolW, int strideH, int strideW, int padTop, int padLeft,
                      int padBottom, int padRight) {
        // The values are spelled out because a record's compact constructor has not assigned its fields yet.
        String got = "got window " + poolH + "x" + poolW + ", strides (" + strideH + ", " + strideW + "), paddings"
                + " (top " + padTop + ", left " + padLeft + ", bottom " + padBottom + ", right " + padRight + ")";
        if (poolH < 1 || poolW < 1 || strideH < 1 || strideW < 1 || padTop < 0 || padLeft < 0 || padBottom < 0
                || padRight < 0) {
            throw new IllegalArgumentException(who + ": pool sizes and strides must be >= 1 and paddings >= 0, "
                    + got);
        }
        if (Math.max(padTop, padBottom) >= poolH || Math.max(padLeft, padRight) >= poolW) {
            throw new IllegalArgumentException(who + ": padding must be smaller than the window, " + got);
        }
    }
}
