package dev.nabla.nn;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;

/**
 * Global average pooling: X (N, C, H, W) to Y (N, C), {@code Y[n,c] = mean_{i,j} X[n,c,i,j]}.
 *
 * <p>Both passes are one matrix product with a constant column: viewing X as (N*C, H*W),
 * {@code Y = X . (1/HW)} and {@code dX = dY . (1/HW)^T}, so every backend gets it from its matmul.
 */
public final class GlobalAvgPool {
    private GlobalAvgPool() {
    }

    /** What the backward pass needs: the input's shape and the constant column. */
    public record Cache(Shape xShape, Tensor weights) {
    }

    /** The per-channel mean over the spatial positions. */
    public static Forward<Cache> forward(Tensor x) {
        String where = "GlobalAvgPool.forward";
        Check.rank(where, "x", x, 4, "(N, C, H, W)");
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1);
        int area = s.dim(2) * s.dim(3);
        double[] v = new double[area];
        java.util.Arrays.fill(v, 1.0 / area);
        Tensor weights = Tensors.of(x.backend(), x.dtype(), v, area, 1);
        Tensor y = x.backend().matmul(x.reshape(planes, area), false, weights, false).reshape(s.dim(0), s.dim(1));
        return new Forward<>(y, new Cache(s, weights));
    }

    /** {@code dout[n,c] / HW} spread over every position of plane (n, c). */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "GlobalAvgPool.backward";
        Shape s = cache.xShape();
        Check.sameOwner(where, new String[] {"dout", "weights"}, dout, cache.weights());
        Check.that(dout.shape().equals(Shape.of(s.dim(0), s.dim(1))), where, "dout has shape " + dout.shape()
                + " but the forward output had shape (" + s.dim(0) + ", " + s.dim(1) + ")");
        Tensor column = dout.reshape(s.dim(0) * s.dim(1), 1);
        return dout.backend().matmul(column, false, cache.weights(), true).reshape(s.dims());
    }
}
