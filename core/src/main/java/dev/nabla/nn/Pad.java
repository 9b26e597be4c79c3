package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Zero padding of the two spatial axes: X (N, C, H, W) becomes (N, C, top + H + bottom, left + W + right) with X
 * in the middle and zeros around it (ONNX's {@code Pad} in constant mode with value 0, PyTorch's {@code F.pad}).
 *
 * <p>Built from the column copies every backend has: the rows are widened on the (N*C*H, W) view, then the planes
 * are heightened on the (N*C, H*W') view. Backward (docs/derivations.md, section 14.5): the padding is constant, so
 * {@code dX} is the middle block of {@code dY}, taken with the same two views in reverse.
 */
public final class Pad {
    private Pad() {
    }

    /** Zeros added on each side, none negative. */
    public record Spec(int top, int left, int bottom, int right) {
        /** Validates the numbers. */
        public Spec {
            if (top < 0 || left < 0 || bottom < 0 || right < 0) {
                throw new IllegalArgumentException("Pad.Spec: paddings must be >= 0, got top " + top + ", left " + left
                        + ", bottom " + bottom + ", right " + right);
            }
        }

        /** The padded shape of an (N, C, H, W) shape. */
        public Shape apply(Shape x) {
            return Shape.of(x.dim(0), x.dim(1), x.dim(2) + top + bottom, x.dim(3) + left + right);
        }
    }

    /** What the backward pass needs: the input's shape and the spec. */
    public record Cache(Shape xShape, Spec spec) {
    }

    /** {@code x} in a border of zeros. */
    public static Forward<Cache> forward(Tensor x, Spec spec) {
        Check.rank("Pad.forward", "x", x, 4, "(N, C, H, W)");
        Backend be = x.backend();
        Shape s = x.shape();
        int rows = s.dim(0) * s.dim(1) * s.dim(2);
        int wide = s.dim(3) + spec.left() + spec.right();
        Tensor widened = x;
        if (spec.left() + spec.right() > 0) {
            widened = be.zeros(x.dtype(), Shape.of(rows, wide));
            be.setColumns(widened, spec.left(), x.reshape(rows, s.dim(3)));
        }
        Shape out = spec.apply(s);
        if (spec.top() + spec.bottom() == 0) {
            return new Forward<>(widened == x ? x.copy().reshape(out) : widened.reshape(out), new Cache(s, spec));
        }
        int planes = s.dim(0) * s.dim(1);
        Tensor y = be.zeros(x.dtype(), Shape.of(planes, out.dim(2) * wide));
        be.setColumns(y, spec.top() * wide, widened.reshape(planes, s.dim(2) * wide));
        if (widened != x) {
            widened.close();
        }
        return new Forward<>(y.reshape(out), new Cache(s, spec));
    }

    /** The middle block of {@code dout}: the gradient of x. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "Pad.backward";
        Shape s = cache.xShape();
        Spec spec = cache.spec();
        Check.that(dout.shape().equals(spec.apply(s)), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + spec.apply(s));
        Backend be = dout.backend();
        int planes = s.dim(0) * s.dim(1);
        int wide = s.dim(3) + spec.left() + spec.right();
        Tensor rows = spec.top() + spec.bottom() == 0 ? dout
                : be.columns(dout.reshape(planes, dout.shape().dim(2) * wide), spec.top() * wide,
                        (spec.top() + s.dim(2)) * wide);
        if (spec.left() + spec.right() == 0) {
            return rows == dout ? dout.copy().reshape(s) : rows.reshape(s);
        }
        Tensor dx = be.columns(rows.reshape(planes * s.dim(2), wide), spec.left(), spec.left() + s.dim(3));
        if (rows != dout) {
            rows.close();
        }
        return dx.reshape(s);
    }
}
