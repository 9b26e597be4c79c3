package dev.nabla.optim;

import dev.nabla.Tensor;

/** SGD with momentum: {@code v = mu * v - lr * dw; w += v}. */
public final class SgdMomentum extends Optimizer {
    /** The course's momentum. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    private final double momentum;

    /** Momentum SGD with the given learning rate and momentum. */
    public SgdMomentum(double learningRate, double momentum) {
        super(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    protected Tensor[] newState(Tensor w) {
        return zerosLike(w, 1);
    }

    @Override
    protected void step(Tensor w, Tensor dw, State state) {
        Tensor v = state.tensors[0];
        v.scale(momentum);
        v.addScaled(-learningRate(state), dw);
        w.addScaled(1, v);
    }
}
