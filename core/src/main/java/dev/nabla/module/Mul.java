package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.nn.Mul.Cache;
import dev.nabla.nn.Mul.Grads;

/** The element-wise product of two same-shaped inputs, over the {@link dev.nabla.nn.Mul} contract. */
public final class Mul extends ElementWise {
    /** The layer; it has no parameters. */
    public Mul() {
        super(dev.nabla.nn.Mul::forward, (dout, cache) -> {
            Grads g = dev.nabla.nn.Mul.backward(dout, (Cache) cache);
            return new Tensor[] {g.da(), g.db()};
        });
    }
}
