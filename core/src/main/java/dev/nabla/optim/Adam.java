package dev.nabla.optim;

import dev.nabla.Tensor;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) dw; v = b2 v + (1-b2) dw^2;
 * w -= lr * mhat / (sqrt(vhat) + eps)} with {@code mhat = m / (1-b1^t)}, {@code vhat = v / (1-b2^t)}.
 */
public final class Adam extends Optimizer {
    /** The course's beta1. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** The course's beta2. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** The course's epsilon. */
    public static final double DEFAULT_EPS = 1e-8;
    private final double beta1;
    private final double beta2;
    private final double eps;

    /** Adam with the given learning rate, betas and epsilon. */
    public Adam(double learningRate, double beta1, double beta2, double eps) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    protected Tensor[] newState(Tensor w) {
        return zerosLike(w, 2);
    }

    @Override
    protected void step(Tensor w, Tensor dw, State state) {
        Tensor m = state.tensors[0];
        Tensor v = state.tensors[1];
        double t = state.steps;
        m.scale(beta1);
        m.addScaled(1 - beta1, dw);
        v.scale(beta2);
        v.addScaledSquare(1 - beta2, dw);
        // mhat / (sqrt(vhat) + eps) = (sqrt(c2) / c1) * m / (sqrt(v) + eps * sqrt(c2)),
        // with c1 = 1 - b1^t and c2 = 1 - b2^t: the same step without two temporary tensors.
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        w.addScaledRatio(-learningRate(state) * Math.sqrt(c2) / c1, m, v, eps * Math.sqrt(c2));
    }
}
