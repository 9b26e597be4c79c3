package dev.nabla.module;

import dev.nabla.nn.ReLU.Cache;

/** {@code max(x, 0)}, the course's rectifier, element-wise, over the {@link dev.nabla.nn.ReLU} contract. */
public final class ReLU extends Activation {
    /** The layer; it has no parameters. */
    public ReLU() {
        super(dev.nabla.nn.ReLU::forward, (dout, cache) -> dev.nabla.nn.ReLU.backward(dout, (Cache) cache));
    }
}
