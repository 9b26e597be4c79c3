package dev.nabla.optim;

import dev.nabla.Tensor;

/** RMSProp: {@code cache = decay * cache + (1 - decay) * dw^2; w -= lr * dw / (sqrt(cache) + eps)}. */
public final class RmsProp extends Optimizer {
    /** The course's decay rate. */
    public static final double DEFAULT_DECAY = 0.99;
    /** The course's epsilon. */
    public static final double DEFAULT_EPS = 1e-8;
    private final double decay;
    private final double eps;

    /** RMSProp with the given learning rate, decay rate and epsilon. */
    public RmsProp(double learningRate, double decay, double eps) {
        super(learningRate);
        this.decay = decay;
        this.eps = eps;
    }

    @Override
    protected Tensor[] newState(Tensor w) {
        return zerosLike(w, 1);
    }

    @Override
    protected void step(Tensor w, Tensor dw, State state) {
        Tensor cache = state.tensors[0];
        cache.scale(decay);
        cache.addScaledSquare(1 - decay, dw);
        w.addScaledRatio(-learningRate(state), dw, cache, eps);
    }
}
