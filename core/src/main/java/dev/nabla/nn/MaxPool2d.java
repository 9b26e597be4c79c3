package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Max pooling over (poolH x poolW) windows moved by {@code stride}, per sample and channel.
 *
 * <p>X is (N, C, H, W); the output is (N, C, (H-poolH)/stride+1, (W-poolW)/stride+1) (windows that
 * would run past the edge are dropped). Backward (docs/derivations.md, section 4): each window's
 * upstream gradient goes to the position of its maximum (the first one on ties), all others get 0.
 */
public final class MaxPool2d {
    private MaxPool2d() {
    }

    /** Window size and stride. */
    public record Spec(int poolH, int poolW, int stride) {
        /** The course's pooling: 2x2 windows, stride 2. */
        public static final Spec TWO_BY_TWO = new Spec(2, 2, 2);

        /** Validates the numbers. */
        public Spec {
            if (poolH < 1 || poolW < 1 || stride < 1) {
                throw new IllegalArgumentException("MaxPool2d.Spec: pool sizes and stride must be >= 1, got " + this);
            }
        }

        /** Output height for an input of height h. */
        public int outHeight(int h) {
            return (h - poolH) / stride + 1;
        }

        /** Output width for an input of width w. */
        public int outWidth(int w) {
            return (w - poolW) / stride + 1;
        }
    }

    /** What the backward pass needs: the input, the spec and the backend's saved state (e.g. argmax positions). */
    public record Cache(Tensor x, Spec spec, Object state) {
    }

    /** The maximum of every window. */
    public static Forward<Cache> forward(Tensor x, Spec spec) {
        String where = "MaxPool2d.forward";
        Check.rank(where, "x", x, 4, "(N, C, H, W)");
        Check.that(x.shape().dim(2) >= spec.poolH() && x.shape().dim(3) >= spec.poolW(), where,
                "x has shape " + x.shape() + ", smaller than the " + spec.poolH() + "x" + spec.poolW() + " window");
        Backend.Saved saved = x.backend().maxPool2dForward(x, spec);
        return new Forward<>(saved.out(), new Cache(x, spec, saved.state()));
    }

    /** Routes each window's gradient to its maximum. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "MaxPool2d.backward";
        Tensor x = cache.x();
        Check.sameOwner(where, new String[] {"dout", "x"}, dout, x);
        Shape expected = Shape.of(x.shape().dim(0), x.shape().dim(1),
                cache.spec().outHeight(x.shape().dim(2)), cache.spec().outWidth(x.shape().dim(3)));
        Check.that(dout.shape().equals(expected), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + expected);
        return x.backend().maxPool2dBackward(dout, x, cache.spec(), cache.state());
    }
}
