package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * 2-D convolution in the course's "filtering" form (cross-correlation, as in every DL library).
 *
 * <p>X is (N, C, H, W), the filters W are (F, C, HH, WW), the bias b is (F). With the default
 * {@link Spec#VALID} (stride 1, no padding) the output is (N, F, H-HH+1, W-WW+1) and
 * {@code Y[n,f] = sum_c X[n,c] *filt W[f,c] + b[f]}. A {@link Spec} adds stride and zero padding:
 * OH = (H + padTop + padBottom - HH) / strideH + 1, likewise OW (rounded down, as PyTorch does).
 * With {@code groups} G the channels are split into G equal slices and filter slice g sees only
 * input slice g: W is then (F, C/G, HH, WW); G = C = F is the depthwise convolution.
 *
 * <p>Backward (docs/derivations.md, section 3), for stride 1 and no padding:
 * {@code dX[n,c] = sum_f W[f,c] *full dY[n,f]}, {@code dW[f,c] = sum_n X[n,c] *filt dY[n,f]},
 * {@code db[f] = sum_{n,i,j} dY[n,f,i,j]}.
 */
public final class Conv2d {
    private Conv2d() {
    }

    /** Stride, explicit zero padding (top, left, bottom, right) and channel groups. */
    public record Spec(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight, int groups) {
        /** The course's convolution: stride 1, no padding. */
        public static final Spec VALID = new Spec(1, 1, 0, 0, 0, 0);

        /** Validates the numbers. */
        public Spec {
            if (strideH < 1 || strideW < 1 || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0
                    || groups < 1) {
                throw new IllegalArgumentException("Conv2d.Spec: strides and groups must be >= 1 and paddings >= 0, got"
                        + " strides (" + strideH + ", " + strideW + "), paddings (top " + padTop + ", left " + padLeft
                        + ", bottom " + padBottom + ", right " + padRight + "), groups " + groups);
            }
        }

        /** One group: every filter sees every channel. */
        public Spec(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight) {
            this(strideH, strideW, padTop, padLeft, padBottom, padRight, 1);
        }

        /** This stride and padding with {@code g} channel groups. */
        public Spec withGroups(int g) {
            return new Spec(strideH, strideW, padTop, padLeft, padBottom, padRight, g);
        }

        /** Whether the padding is the same on top and bottom, and on left and right. */
        public boolean symmetric() {
            return padTop == padBottom && padLeft == padRight;
        }

        /** Same stride and padding on both axes and all sides. */
        public static Spec of(int stride, int pad) {
            return new Spec(stride, stride, pad, pad, pad, pad);
        }

        /** Output height for an input of height h and a filter of height hh. */
        public int outHeight(int h, int hh) {
            // floorDiv, not /: a filter taller than the padded input must give 0 rows, not (-1) / 2 + 1 = 1.
            return Math.floorDiv(h + padTop + padBottom - hh, strideH) + 1;
        }

        /** Output width for an input of width w and a filter of width ww (0 or less: the filter does not fit). */
        public int outWidth(int w, int ww) {
            return Math.floorDiv(w + padLeft + padRight - ww, strideW) + 1;
        }
    }

    /** What the backward pass needs: inputs, spec, and the backend's own saved state. */
    public record Cache(Tensor x, Tensor w, Spec spec, Object state) {
    }

    /** Gradients of the loss with respect to x, w and b. */
    public record Grads(Tensor dx, Tensor dw, Tensor db) {
    }

    /** Valid, stride-1 convolution: the course's layer. */
    public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b) {
        return forward(x, w, b, Spec.VALID);
    }

    /** Convolution with the given stride and padding. */
    public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b, Spec spec) {
        String where = "Conv2d.forward";
        Check.sameOwner(where, new String[] {"x", "w", "b"}, x, w, b);
        Check.rank(where, "x", x, 4, "(N, C, H, W)");
        Check.rank(where, "w", w, 4, "(F, C, HH, WW)");
        Check.rank(where, "b", b, 1, "(F)");
        int groups = spec.groups();
        Check.that(w.shape().dim(1) * groups == x.shape().dim(1), where, "w has shape " + w.shape() + " but x has shape "
                + x.shape() + ": their channel counts (dim 1) differ"
                + (groups == 1 ? "" : " (with groups = " + groups + ", w needs C/groups channels)"));
        Check.that(w.shape().dim(0) % groups == 0, where, "w has shape " + w.shape() + " but groups = " + groups
                + ": the filter count must be a multiple of the groups");
        Check.that(b.shape().dim(0) == w.shape().dim(0), where, "b has shape " + b.shape() + " but w has shape "
                + w.shape() + ": b needs one entry per filter");
        int oh = spec.outHeight(x.shape().dim(2), w.shape().dim(2));
        int ow = spec.outWidth(x.shape().dim(3), w.shape().dim(3));
        Check.that(oh >= 1 && ow >= 1, where, "w has shape " + w.shape() + " but x has shape " + x.shape()
                + ": the filter is larger than the (padded) input");
        Backend.Saved saved = x.backend().conv2dForward(x, w, b, spec);
        return new Forward<>(saved.out(), new Cache(x, w, spec, saved.state()));
    }

    /** dX, dW and db from the upstream gradient and the forward's cache. */
    public static Grads backward(Tensor dout, Cache cache) {
        String where = "Conv2d.backward";
        Tensor x = cache.x();
        Tensor w = cache.w();
        Check.sameOwner(where, new String[] {"dout", "x"}, dout, x);
        int n = x.shape().dim(0);
        int f = w.shape().dim(0);
        int oh = cache.spec().outHeight(x.shape().dim(2), w.shape().dim(2));
        int ow = cache.spec().outWidth(x.shape().dim(3), w.shape().dim(3));
        Check.that(dout.shape().equals(Shape.of(n, f, oh, ow)), where, "dout has shape " + dout.shape()
                + " but the forward output had shape (" + n + ", " + f + ", " + oh + ", " + ow + ")");
        return x.backend().conv2dBackward(dout, x, w, cache.spec(), cache.state());
    }
}
