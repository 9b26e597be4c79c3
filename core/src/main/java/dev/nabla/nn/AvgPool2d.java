package dev.nabla.nn;

import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Average pooling over (poolH x poolW) windows, per sample and channel, with stride and zero padding.
 *
 * <p>X is (N, C, H, W); the output is (N, C, OH, OW) with OH = (H + padTop + padBottom - poolH) / strideH + 1
 * (rounded down), likewise OW. Each output is the sum of its window divided by the window's area when
 * {@link Spec#countIncludePad()} (PyTorch's default: padded zeros count), else by the number of window
 * positions inside the image (ONNX's default). Backward (docs/derivations.md, section 12): every position of
 * a window receives the window's upstream gradient divided by that same divisor.
 */
public final class AvgPool2d {
    private AvgPool2d() {
    }

    /** Window, strides, zero padding (top, left, bottom, right) and what the average divides by. */
    public record Spec(int poolH, int poolW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                       int padRight, boolean countIncludePad) implements PoolWindow {
        /** Validates the numbers: a window must not be smaller than its padding, as in PyTorch and ONNX Runtime. */
        public Spec {
            PoolWindow.check("AvgPool2d.Spec", poolH, poolW, strideH, strideW, padTop, padLeft, padBottom, padRight);
        }

        /** A square window of side {@code k}, moved by {@code stride}, padded by {@code pad} on every side (PyTorch's defaults otherwise). */
        public static Spec of(int k, int stride, int pad) {
            return new Spec(k, k, stride, stride, pad, pad, pad, pad, true);
        }

        /**
         * The divisor of the window whose top-left corner is at padded position (i * strideH, j * strideW):
         * its area, or the count of its positions inside the h x w image.
         */
        public int divisor(int i, int j, int h, int w) {
            if (countIncludePad) {
                return poolH * poolW;
            }
            int r0 = Math.max(i * strideH - padTop, 0);
            int r1 = Math.min(i * strideH - padTop + poolH, h);
            int c0 = Math.max(j * strideW - padLeft, 0);
            int c1 = Math.min(j * strideW - padLeft + poolW, w);
            return Math.max(r1 - r0, 0) * Math.max(c1 - c0, 0);
        }
    }

    /** What the backward pass needs: the input's shape and the spec. */
    public record Cache(Shape xShape, Spec spec) {
    }

    /** The (padded) mean of every window. */
    public static Forward<Cache> forward(Tensor x, Spec spec) {
        String where = "AvgPool2d.forward";
        Check.rank(where, "x", x, 4, "(N, C, H, W)");
        Shape s = x.shape();
        Check.that(spec.fits(s), where, "x has shape " + s
                + ", smaller than the " + spec.poolH() + "x" + spec.poolW() + " window even with its padding");
        return new Forward<>(x.backend().avgPool2dForward(x, spec), new Cache(s, spec));
    }

    /** Spreads each window's gradient evenly over the window, divided as in the forward pass. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "AvgPool2d.backward";
        Shape s = cache.xShape();
        Spec spec = cache.spec();
        Shape expected = spec.outputShape(s);
        Check.that(dout.shape().equals(expected), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + expected);
        return dout.backend().avgPool2dBackward(dout, s, spec);
    }
}
