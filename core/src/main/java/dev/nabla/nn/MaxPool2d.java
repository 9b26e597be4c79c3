package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Max pooling over (poolH x poolW) windows moved by (strideH, strideW), per sample and channel, optionally with
 * padding that never wins (as {@code -inf} would; PyTorch's and ONNX's {@code pads}).
 *
 * <p>X is (N, C, H, W); the output is (N, C, OH, OW) with OH = (H + padTop + padBottom - poolH) / strideH + 1
 * (rounded down: windows that would run past the padded edge are dropped), likewise OW. Each window's maximum is
 * taken over its positions inside the image; a padding smaller than the window leaves every window at least one.
 * Backward (docs/derivations.md, section 4): each window's upstream gradient goes to the position of its maximum
 * (the first one in row-major order on ties), all others get 0.
 */
public final class MaxPool2d {
    private MaxPool2d() {
    }

    /** Window size, strides and padding (top, left, bottom, right). */
    public record Spec(int poolH, int poolW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                       int padRight) implements PoolWindow {
        /** The course's pooling: 2x2 windows, stride 2. */
        public static final Spec TWO_BY_TWO = new Spec(2, 2, 2);

        /** Validates the numbers: a padding must be smaller than the window, so that no window is all padding. */
        public Spec {
            PoolWindow.check("MaxPool2d.Spec", poolH, poolW, strideH, strideW, padTop, padLeft, padBottom, padRight);
        }

        /** Windows of poolH x poolW moved by {@code stride} along both axes, no padding: the course's form. */
        public Spec(int poolH, int poolW, int stride) {
            this(poolH, poolW, stride, stride, 0, 0, 0, 0);
        }

        /** Whether any side is padded. */
        public boolean padded() {
            return padTop + padLeft + padBottom + padRight > 0;
        }
    }

    /** What the backward pass needs: the input, the spec and the backend's saved state (e.g. argmax positions). */
    public record Cache(Tensor x, Spec spec, Object state) {
    }

    /** The maximum of every window. */
    public static Forward<Cache> forward(Tensor x, Spec spec) {
        String where = "MaxPool2d.forward";
        Check.rank(where, "x", x, 4, "(N, C, H, W)");
        Shape s = x.shape();
        Check.that(spec.fits(s), where, "x has shape " + s
                + ", smaller than the " + spec.poolH() + "x" + spec.poolW() + " window"
                + (spec.padded() ? " even with its padding" : ""));
        Backend.Saved saved = x.backend().maxPool2dForward(x, spec);
        return new Forward<>(saved.out(), new Cache(x, spec, saved.state()));
    }

    /** Routes each window's gradient to its maximum. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "MaxPool2d.backward";
        Tensor x = cache.x();
        Check.sameOwner(where, new String[] {"dout", "x"}, dout, x);
        Shape expected = cache.spec().outputShape(x.shape());
        Check.that(dout.shape().equals(expected), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + expected);
        return x.backend().maxPool2dBackward(dout, x, cache.spec(), cache.state());
    }
}
