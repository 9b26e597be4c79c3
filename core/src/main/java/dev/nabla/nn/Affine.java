package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Tensor;

/**
 * Fully-connected (affine) layer: {@code Y = X W + b}.
 *
 * <p>X has any shape (N, d1, ..., dk) and is flattened per sample to (N, D) with D = d1*...*dk;
 * W is (D, M), b is (M) and Y is (N, M). The backward pass (docs/derivations.md, section 1):
 * {@code dX = dY W^T} (reshaped like X), {@code dW = X^T dY}, {@code db = sum_n dY[n]}.
 */
public final class Affine {
    private Affine() {
    }

    /** What the backward pass needs: the input and the weights. */
    public record Cache(Tensor x, Tensor w) {
    }

    /** Gradients of the loss with respect to x, w and b. */
    public record Grads(Tensor dx, Tensor dw, Tensor db) {
    }

    /** {@code Y = flatten(X) W + b}. */
    public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b) {
        String where = "Affine.forward";
        Check.sameOwner(where, new String[] {"x", "w", "b"}, x, w, b);
        Check.that(x.shape().rank() >= 2, where, "x must be (N, d1, ..., dk) but has shape " + x.shape());
        Check.rank(where, "w", w, 2, "(D, M)");
        Check.rank(where, "b", b, 1, "(M)");
        int n = x.shape().dim(0);
        int d = x.shape().sizeFrom(1);
        Check.that(w.shape().dim(0) == d, where, "w has shape " + w.shape() + " but x has shape " + x.shape()
                + ", which flattens to (" + n + ", " + d + "): w needs " + d + " rows");
        Check.that(b.shape().dim(0) == w.shape().dim(1), where, "b has shape " + b.shape()
                + " but w has shape " + w.shape() + ": b needs " + w.shape().dim(1) + " entries");
        Backend be = x.backend();
        Tensor out = be.addRowVector(be.matmul(x.reshape(n, d), false, w, false), b);
        return new Forward<>(out, new Cache(x, w));
    }

    /** {@code dX = dY W^T}, {@code dW = X^T dY}, {@code db = sum over rows of dY}. */
    public static Grads backward(Tensor dout, Cache cache) {
        String where = "Affine.backward";
        Tensor x = cache.x();
        Tensor w = cache.w();
        Check.sameOwner(where, new String[] {"dout", "x"}, dout, x);
        int n = x.shape().dim(0);
        int d = x.shape().sizeFrom(1);
        int m = w.shape().dim(1);
        Check.that(dout.shape().rank() == 2 && dout.shape().dim(0) == n && dout.shape().dim(1) == m, where,
                "dout has shape " + dout.shape() + " but the forward output had shape (" + n + ", " + m + ")");
        Backend be = x.backend();
        Tensor dx = be.matmul(dout, false, w, true).reshape(x.shape());
        Tensor dw = be.matmul(x.reshape(n, d), true, dout, false);
        Tensor db = be.sumRows(dout);
        return new Grads(dx, dw, db);
    }
}
