package dev.nabla.module;

import dev.nabla.nn.ReLU6.Cache;

/** {@code min(max(x, 0), 6)}, MobileNet's bounded rectifier, element-wise, over the {@link dev.nabla.nn.ReLU6} contract. */
public final class ReLU6 extends Activation {
    /** The layer; it has no parameters. */
    public ReLU6() {
        super(dev.nabla.nn.ReLU6::forward, (dout, cache) -> dev.nabla.nn.ReLU6.backward(dout, (Cache) cache));
    }
}
