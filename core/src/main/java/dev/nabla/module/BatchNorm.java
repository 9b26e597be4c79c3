package dev.nabla.module;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/**
 * Batch normalization over the {@link dev.nabla.nn.BatchNorm} contract, per channel, with learnable scale
 * ({@code weight}, gamma, 1 at first) and shift ({@code bias}, beta, 0), and the buffers {@code running_mean} (0)
 * and {@code running_var} (1).
 *
 * <p>As PyTorch: in training the batch's statistics normalize (biased variance) and the running estimates move
 * towards them, {@code running = (1 - momentum) running + momentum batch}, with the unbiased variance
 * (times M/(M-1)); in inference the running estimates normalize. {@link BatchNorm1d} takes (N, C),
 * {@link BatchNorm2d} (N, C, H, W).
 */
public abstract class BatchNorm extends Module {
    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;
    /** PyTorch's default momentum of the running estimates. */
    public static final double MOMENTUM = 0.1;

    private final int rank;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final double eps;
    private final double momentum;

    BatchNorm(int rank, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, double eps, double momentum) {
        int c = gamma.shape().dim(0);
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            if (!t.shape().equals(Shape.of(c))) {
                throw new IllegalArgumentException(kind() + ": weight, bias, running_mean and running_var must all be ("
                        + c + ",), got " + t.shape());
            }
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(kind() + ": eps must be positive and momentum in [0, 1], got " + eps
                    + " and " + momentum);
        }
        this.rank = rank;
        this.gamma = addParameter("weight", gamma, Parameter.Kind.SCALE);
        this.beta = addParameter("bias", beta, Parameter.Kind.SHIFT);
        this.runningMean = addBuffer("running_mean", runningMean);
        this.runningVar = addBuffer("running_var", runningVar);
        this.eps = eps;
        this.momentum = momentum;
    }

    /** A new layer: gamma 1, beta 0, running mean 0 and variance 1, PyTorch's eps and momentum. */
    BatchNorm(int rank, Backend be, DType dtype, int channels) {
        this(rank, filled(be, dtype, channels, 1), filled(be, dtype, channels, 0), filled(be, dtype, channels, 0),
                filled(be, dtype, channels, 1), EPS, MOMENTUM);
    }

    private static Tensor filled(Backend be, DType dtype, int c, double value) {
        double[] v = new double[c];
        java.util.Arrays.fill(v, value);
        return be.fromArray(v, dtype, Shape.of(c));
    }

    /** Channels. */
    public int channels() {
        return gamma.value().shape().dim(0);
    }

    /** The scale gamma. */
    public Parameter weight() {
        return gamma;
    }

    /** The shift beta. */
    public Parameter bias() {
        return beta;
    }

    /** The running mean (a buffer, updated in place by training passes). */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The epsilon added to the variance. */
    public double eps() {
        return eps;
    }

    /** The momentum of the running estimates. */
    public double momentum() {
        return momentum;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() != rank || x.dim(1) != channels()) {
            throw mismatch(rank == 2 ? "(N, " + channels() + ")" : "(N, " + channels() + ", H, W)", x);
        }
        return x;
    }

    @Override
    public long multiplyAdds(Shape... inputs) {
        return single(inputs).size();
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Tensor x = single(inputs);
        Forward<dev.nabla.nn.BatchNorm.Cache> f;
        if (mode.training()) {
            int m = dev.nabla.nn.BatchNorm.perChannel(x.shape());
            if (m < 2) {
                throw new IllegalArgumentException(kind() + " needs more than one value per channel in training, got"
                        + " input " + x.shape());
            }
            f = dev.nabla.nn.BatchNorm.forwardTraining(x, gamma.value(), beta.value(), eps);
            update(runningMean, f.cache().mean(), 1);
            update(runningVar, f.cache().var(), m / (m - 1.0));
        } else {
            f = dev.nabla.nn.BatchNorm.forwardInference(x, gamma.value(), beta.value(), runningMean, runningVar, eps);
        }
        if (!mode.grad()) {
            f.cache().xhat().close();
            return new Forward<>(f.out(), null);
        }
        return f;
    }

    /** {@code running = (1 - momentum) running + momentum * factor * batch}. */
    private void update(Tensor running, double[] batch, double factor) {
        double[] v = new double[batch.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = factor * batch[i];
        }
        try (Tensor t = running.backend().fromArray(v, running.dtype(), running.shape())) {
            running.scale(1 - momentum);
            running.addScaled(momentum, t);
        }
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        dev.nabla.nn.BatchNorm.Cache c = (dev.nabla.nn.BatchNorm.Cache) cache;
        dev.nabla.nn.BatchNorm.Grads g = dev.nabla.nn.BatchNorm.backward(dout, c);
        c.xhat().close();
        grads.add(gamma, g.dgamma());
        grads.add(beta, g.dbeta());
        return new Tensor[] {g.dx()};
    }

    @Override
    public String toString() {
        return kind() + "(" + channels() + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
