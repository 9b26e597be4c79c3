package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.nn.Add.Cache;
import dev.nabla.nn.Add.Grads;

/** The sum of two same-shaped inputs (a residual connection), over the {@link dev.nabla.nn.Add} contract. */
public final class Add extends ElementWise {
    /** The layer; it has no parameters. */
    public Add() {
        super(dev.nabla.nn.Add::forward, (dout, cache) -> {
            Grads g = dev.nabla.nn.Add.backward(dout, (Cache) cache);
            return new Tensor[] {g.da(), g.db()};
        });
    }
}
