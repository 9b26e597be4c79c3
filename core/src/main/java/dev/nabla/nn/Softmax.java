package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Softmax of every row, {@code Y[n] = exp(X[n]) / sum_j exp(X[n, j])}, for X (N, C): a classifier's
 * probabilities. Training uses {@link SoftmaxLoss} on the scores instead (one stable pass for loss and gradient).
 *
 * <p>Backward (docs/derivations.md, section 13): with the Jacobian {@code dY_i/dX_j = Y_i (delta_ij - Y_j)},
 * {@code dX = Y * (dY - sum_j dY_j Y_j)} per row.
 */
public final class Softmax {
    private Softmax() {
    }

    /** What the backward pass needs: the output. */
    public record Cache(Tensor y) {
    }

    /** The row-wise softmax. */
    public static Forward<Cache> forward(Tensor x) {
        Check.rank("Softmax.forward", "x", x, 2, "(N, C)");
        Tensor y = x.backend().softmax(x);
        return new Forward<>(y, new Cache(y));
    }

    /** {@code Y * (dY - rowsum(dY * Y))}. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "Softmax.backward";
        Check.sameOwner(where, new String[] {"dout", "y"}, dout, cache.y());
        Check.that(dout.shape().equals(cache.y().shape()), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + cache.y().shape());
        return dout.backend().softmaxBackward(dout, cache.y());
    }
}
