package dev.nabla.nn;

import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Word embedding: integer ids x (N, T) in [0, V) pick rows of W (V, W), giving (N, T, W).
 *
 * <p>Backward: {@code dW[v] = sum of dout[n, t] over all (n, t) with x[n, t] == v}, so a word used
 * twice gets both gradients; rows of unused words stay 0. The ids get no gradient.
 */
public final class WordEmbedding {
    private WordEmbedding() {
    }

    /** What the backward pass needs: the ids, flattened row-major, and the shapes. */
    public record Cache(int[] ids, Shape wShape, Shape outShape) {
    }

    /** {@code out[n, t] = W[x[n][t]]}. */
    public static Forward<Cache> forward(int[][] x, Tensor w) {
        String where = "WordEmbedding.forward";
        Check.rank(where, "w", w, 2, "(V, W)");
        int n = x.length;
        Check.that(n > 0, where, "x has no rows: it must be (N, T) with N >= 1");
        int steps = x[0].length;
        int vocab = w.shape().dim(0);
        int[] ids = new int[n * steps];
        for (int i = 0; i < n; i++) {
            Check.that(x[i].length == steps, where, "x[" + i + "] has " + x[i].length + " ids but x[0] has "
                    + steps + ": x must be rectangular (N, T)");
            for (int t = 0; t < steps; t++) {
                int id = x[i][t];
                Check.that(id >= 0 && id < vocab, where, "x[" + i + "][" + t + "] = " + id + " is outside [0, "
                        + vocab + ") for w of shape " + w.shape());
                ids[i * steps + t] = id;
            }
        }
        Shape outShape = Shape.of(n, steps, w.shape().dim(1));
        Tensor out = w.backend().gatherRows(w, ids).reshape(outShape);
        return new Forward<>(out, new Cache(ids, w.shape(), outShape));
    }

    /** dW (V, W): the upstream gradient of every position added into the row of its word. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "WordEmbedding.backward";
        Check.that(dout.shape().equals(cache.outShape()), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + cache.outShape());
        Shape ws = cache.wShape();
        return dout.backend().scatterAddRows(dout.reshape(cache.ids().length, ws.dim(1)), cache.ids(), ws.dim(0));
    }
}
