package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Batch normalization per channel: X is (N, C) (1-d, per feature over N) or (N, C, H, W) (2-d, per channel over
 * N, H and W), and {@code Y = gamma * (X - mu) / sqrt(var + eps) + beta} with learnable gamma, beta (C).
 *
 * <p>{@link #forwardTraining} normalizes with the batch's own mean and biased variance over the M = N*H*W values
 * of each channel and returns them, so a caller can update running estimates; {@link #forwardInference} uses
 * given (running) statistics. Backward (docs/derivations.md, section 10), with {@code xhat = (X - mu) / sigma}:
 * {@code dbeta = sum dY}, {@code dgamma = sum dY * xhat}, and, in training mode, where mu and var depend on X,
 * {@code dX = gamma / (M sigma) * (M dY - dbeta - xhat * dgamma)}; in inference mode {@code dX = gamma / sigma * dY}.
 *
 * <p>Every pass is one of two per-channel kernels, {@link Backend#channelSums} and {@link Backend#channelAffine},
 * so the derivation lives here once rather than in each backend.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /**
     * What the backward pass needs: xhat, gamma, 1/sigma per channel, and whether the statistics were the batch's.
     * {@code mean} and {@code var} (biased) are the statistics that were used.
     */
    public record Cache(Tensor xhat, Tensor gamma, double[] invStd, boolean training, double[] mean, double[] var) {
    }

    /** Gradients of the loss with respect to x, gamma and beta. */
    public record Grads(Tensor dx, Tensor dgamma, Tensor dbeta) {
    }

    /** Normalizes with the batch's statistics; the cache holds them (mean, biased variance) for running estimates. */
    public static Forward<Cache> forwardTraining(Tensor x, Tensor gamma, Tensor beta, double eps) {
        String where = "BatchNorm.forwardTraining";
        check(where, x, gamma, beta, eps);
        Backend be = x.backend();
        int c = x.shape().dim(1);
        double m = perChannel(x.shape());
        double[] mean = scaled(be.channelSums(x), 1 / m);
        Tensor xc = affine(x, fill(c, 1), negate(mean));
        Tensor sq = be.mul(xc, xc);
        double[] var = scaled(be.channelSums(sq), 1 / m);
        sq.close();
        double[] invStd = new double[c];
        for (int i = 0; i < c; i++) {
            invStd[i] = 1 / Math.sqrt(var[i] + eps);
        }
        Tensor xhat = affine(xc, invStd, new double[c]);
        xc.close();
        Tensor y = be.channelAffine(xhat, gamma, beta);
        return new Forward<>(y, new Cache(xhat, gamma, invStd, true, mean, var));
    }

    /** Normalizes with the given statistics (running mean and variance, (C) each); nothing depends on the batch. */
    public static Forward<Cache> forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
                                                  double eps) {
        String where = "BatchNorm.forwardInference";
        check(where, x, gamma, beta, eps);
        Check.sameOwner(where, new String[] {"x", "mean", "var"}, x, mean, var);
        int c = x.shape().dim(1);
        Check.that(mean.shape().equals(Shape.of(c)) && var.shape().equals(Shape.of(c)), where, "mean has shape "
                + mean.shape() + " and var " + var.shape() + " but x has shape " + x.shape() + ": both need (" + c + ",)");
        Backend be = x.backend();
        double[] mu = mean.toDoubleArray();
        double[] v = var.toDoubleArray();
        double[] invStd = new double[c];
        double[] shift = new double[c];
        for (int i = 0; i < c; i++) {
            invStd[i] = 1 / Math.sqrt(v[i] + eps);
            shift[i] = -mu[i] * invStd[i];
        }
        Tensor xhat = affine(x, invStd, shift);
        Tensor y = be.channelAffine(xhat, gamma, beta);
        return new Forward<>(y, new Cache(xhat, gamma, invStd, false, mu, v));
    }

    /** dX, dgamma and dbeta from the upstream gradient and the forward's cache (training or inference form). */
    public static Grads backward(Tensor dout, Cache cache) {
        String where = "BatchNorm.backward";
        Tensor xhat = cache.xhat();
        Check.sameOwner(where, new String[] {"dout", "xhat"}, dout, xhat);
        Check.that(dout.shape().equals(xhat.shape()), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + xhat.shape());
        Backend be = dout.backend();
        int c = xhat.shape().dim(1);
        Tensor dbeta = be.channelSums(dout);
        Tensor prod = be.mul(dout, xhat);
        Tensor dgamma = be.channelSums(prod);
        prod.close();
        double[] g = cache.gamma().toDoubleArray();
        double[] k = new double[c];
        for (int i = 0; i < c; i++) {
            k[i] = g[i] * cache.invStd()[i];
        }
        if (!cache.training()) {
            return new Grads(affine(dout, k, new double[c]), dgamma, dbeta);
        }
        // dX = k * (dY - dbeta / M) - (k * dgamma / M) * xhat, as two per-channel maps and a sum.
        double m = perChannel(dout.shape());
        double[] sb = dbeta.toDoubleArray();
        double[] sg = dgamma.toDoubleArray();
        double[] shift = new double[c];
        double[] slope = new double[c];
        for (int i = 0; i < c; i++) {
            shift[i] = -k[i] * sb[i] / m;
            slope[i] = -k[i] * sg[i] / m;
        }
        Tensor centred = affine(dout, k, shift);
        Tensor correction = affine(xhat, slope, new double[c]);
        Tensor dx = be.add(centred, correction);
        centred.close();
        correction.close();
        return new Grads(dx, dgamma, dbeta);
    }

    /** Values per channel: N for (N, C), N*H*W for (N, C, H, W). */
    public static int perChannel(Shape x) {
        return x.dim(0) * x.sizeFrom(2);
    }

    private static void check(String where, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Check.sameOwner(where, new String[] {"x", "gamma", "beta"}, x, gamma, beta);
        Check.that(x.shape().rank() == 2 || x.shape().rank() == 4, where, "x must be (N, C) or (N, C, H, W) but has"
                + " shape " + x.shape());
        int c = x.shape().dim(1);
        Check.that(gamma.shape().equals(Shape.of(c)) && beta.shape().equals(Shape.of(c)), where, "gamma has shape "
                + gamma.shape() + " and beta " + beta.shape() + " but x has shape " + x.shape() + ": both need (" + c
                + ",)");
        Check.that(perChannel(x.shape()) >= 1, where, "x has shape " + x.shape() + ": no values to normalize");
        Check.that(eps > 0, where, "eps must be positive, got " + eps);
    }

    /** {@code x * scale[c] + shift[c]} with the per-channel numbers made into (C) tensors of x's kind for the call. */
    private static Tensor affine(Tensor x, double[] scale, double[] shift) {
        Backend be = x.backend();
        try (Tensor s = be.fromArray(scale, x.dtype(), Shape.of(scale.length));
             Tensor t = be.fromArray(shift, x.dtype(), Shape.of(shift.length))) {
            return be.channelAffine(x, s, t);
        }
    }

    private static double[] scaled(Tensor t, double factor) {
        double[] v = t.toDoubleArray();
        t.close();
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return v;
    }

    private static double[] fill(int n, double value) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }
}
