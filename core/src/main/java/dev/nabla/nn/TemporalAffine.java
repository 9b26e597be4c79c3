package dev.nabla.nn;

import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * An affine layer applied at every time step: x (N, T, D), W (D, M), b (M) give (N, T, M).
 *
 * <p>It is {@link Affine} on the (N*T, D) view of x, so the gradients are Affine's, reshaped.
 */
public final class TemporalAffine {
    private TemporalAffine() {
    }

    /** What the backward pass needs: Affine's cache and the input's shape. */
    public record Cache(Affine.Cache affine, Shape xShape, Shape outShape) {
    }

    /** {@code out[n, t] = x[n, t] W + b}. */
    public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b) {
        String where = "TemporalAffine.forward";
        Check.sameOwner(where, new String[] {"x", "w", "b"}, x, w, b);
        Check.rank(where, "x", x, 3, "(N, T, D)");
        Check.rank(where, "w", w, 2, "(D, M)");
        Check.rank(where, "b", b, 1, "(M)");
        Shape s = x.shape();
        Check.that(w.shape().dim(0) == s.dim(2), where, "w has shape " + w.shape() + " but x has shape " + s
                + ": w needs " + s.dim(2) + " rows");
        Check.that(b.shape().dim(0) == w.shape().dim(1), where, "b has shape " + b.shape() + " but w has shape "
                + w.shape() + ": b needs " + w.shape().dim(1) + " entries");
        Forward<Affine.Cache> f = Affine.forward(x.reshape(s.dim(0) * s.dim(1), s.dim(2)), w, b);
        Shape outShape = Shape.of(s.dim(0), s.dim(1), w.shape().dim(1));
        return new Forward<>(f.out().reshape(outShape), new Cache(f.cache(), s, outShape));
    }

    /** Affine's gradients on the (N*T, M) view of {@code dout}; dx comes back as (N, T, D). */
    public static Affine.Grads backward(Tensor dout, Cache cache) {
        String where = "TemporalAffine.backward";
        Check.sameOwner(where, new String[] {"dout", "x"}, dout, cache.affine().x());
        Check.that(dout.shape().equals(cache.outShape()), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + cache.outShape());
        Shape o = cache.outShape();
        Affine.Grads g = Affine.backward(dout.reshape(o.dim(0) * o.dim(1), o.dim(2)), cache.affine());
        return new Affine.Grads(g.dx().reshape(cache.xShape()), g.dw(), g.db());
    }
}
