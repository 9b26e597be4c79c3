package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.nn.Sub.Cache;
import dev.nabla.nn.Sub.Grads;

/** The first input minus the second, same shapes, over the {@link dev.nabla.nn.Sub} contract. */
public final class Sub extends ElementWise {
    /** The layer; it has no parameters. */
    public Sub() {
        super(dev.nabla.nn.Sub::forward, (dout, cache) -> {
            Grads g = dev.nabla.nn.Sub.backward(dout, (Cache) cache);
            return new Tensor[] {g.da(), g.db()};
        });
    }
}
