package dev.nabla.module;

import dev.nabla.nn.Tanh.Cache;

/** {@code tanh(x)}, element-wise, over the {@link dev.nabla.nn.Tanh} contract. */
public final class Tanh extends Activation {
    /** The layer; it has no parameters. */
    public Tanh() {
        super(dev.nabla.nn.Tanh::forward, (dout, cache) -> dev.nabla.nn.Tanh.backward(dout, (Cache) cache));
    }
}
