package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Concatenation along the channel axis 1: inputs (N, C_i, d2, ..., dk) that agree on every other axis give
 * (N, sum C_i, d2, ..., dk).
 *
 * <p>Seen per sample, each input is a contiguous block of C_i * d2 * ... * dk values, so the output's row n is
 * the inputs' rows n side by side: the column blocks of the (N, C * rest) views. Backward: each input's
 * gradient is its own column block of the upstream gradient.
 */
public final class Concat {
    private Concat() {
    }

    /** What the backward pass needs: every input's shape. */
    public record Cache(Shape[] shapes) {
    }

    /** The inputs side by side along axis 1. */
    public static Forward<Cache> forward(Tensor... xs) {
        String where = "Concat.forward";
        Check.that(xs.length >= 1, where, "needs at least one input");
        String[] names = new String[xs.length];
        for (int i = 0; i < xs.length; i++) {
            names[i] = "inputs[" + i + "]";
        }
        Check.sameOwner(where, names, xs);
        Shape first = xs[0].shape();
        Check.that(first.rank() >= 2, where, "inputs[0] must be (N, C, ...) but has shape " + first);
        int n = first.dim(0);
        int rest = first.sizeFrom(2);
        long total = 0;
        Shape[] shapes = new Shape[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Shape s = xs[i].shape();
            shapes[i] = s;
            boolean fits = s.rank() == first.rank() && s.dim(0) == n;
            for (int a = 2; fits && a < s.rank(); a++) {
                fits = s.dim(a) == first.dim(a);
            }
            Check.that(fits, where, "inputs[" + i + "] has shape " + s + " but inputs[0] has shape " + first
                    + ": they may differ only in axis 1");
            total += s.dim(1);
        }
        int[] dims = first.dims();
        dims[1] = Math.toIntExact(total);
        Backend be = xs[0].backend();
        Tensor out = be.zeros(xs[0].dtype(), Shape.of(n, Math.toIntExact(total * rest)));
        int from = 0;
        for (Tensor x : xs) {
            int width = x.shape().dim(1) * rest;
            be.setColumns(out, from, x.reshape(n, width));
            from += width;
        }
        return new Forward<>(out.reshape(dims), new Cache(shapes));
    }

    /** The upstream gradient cut back into one block per input. */
    public static Tensor[] backward(Tensor dout, Cache cache) {
        String where = "Concat.backward";
        Shape[] shapes = cache.shapes();
        int[] dims = shapes[0].dims();
        dims[1] = 0;
        for (Shape s : shapes) {
            dims[1] += s.dim(1);
        }
        Check.that(dout.shape().equals(Shape.of(dims)), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + Shape.of(dims));
        int n = dims[0];
        int rest = shapes[0].sizeFrom(2);
        Tensor flat = dout.reshape(n, dims[1] * rest);
        Tensor[] dx = new Tensor[shapes.length];
        int from = 0;
        for (int i = 0; i < shapes.length; i++) {
            int width = shapes[i].dim(1) * rest;
            dx[i] = dout.backend().columns(flat, from, from + width).reshape(shapes[i]);
            from += width;
        }
        return dx;
    }
}
