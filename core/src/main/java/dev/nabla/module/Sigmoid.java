package dev.nabla.module;

import dev.nabla.nn.Sigmoid.Cache;

/** {@code 1 / (1 + exp(-x))}, the logistic function, element-wise, over the {@link dev.nabla.nn.Sigmoid} contract. */
public final class Sigmoid extends Activation {
    /** The layer; it has no parameters. */
    public Sigmoid() {
        super(dev.nabla.nn.Sigmoid::forward, (dout, cache) -> dev.nabla.nn.Sigmoid.backward(dout, (Cache) cache));
    }
}
