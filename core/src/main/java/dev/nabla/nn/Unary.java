package dev.nabla.nn;

import dev.nabla.Tensor;

/** The check every element-wise layer's backward makes: the upstream gradient is shaped like what the forward kept. */
final class Unary {
    private Unary() {
    }

    static void check(String where, Tensor dout, Tensor kept) {
        Check.sameOwner(where, new String[] {"dout", "forward tensor"}, dout, kept);
        Check.that(dout.shape().equals(kept.shape()), where, "dout has shape " + dout.shape()
                + " but the forward pass had shape " + kept.shape());
    }
}
