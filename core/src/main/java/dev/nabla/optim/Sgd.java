package dev.nabla.optim;

import dev.nabla.Tensor;

/** Vanilla stochastic gradient descent: {@code w -= lr * dw}. */
public final class Sgd extends Optimizer {
    /** SGD with the given learning rate. */
    public Sgd(double learningRate) {
        super(learningRate);
    }

    @Override
    protected Tensor[] newState(Tensor w) {
        return new Tensor[0];
    }

    @Override
    protected void step(Tensor w, Tensor dw, State state) {
        w.addScaled(-learningRate(state), dw);
    }
}
