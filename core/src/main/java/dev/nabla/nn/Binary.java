package dev.nabla.nn;

import dev.nabla.Tensor;

/** The checks of the element-wise layers of two same-shaped inputs (sum, difference, product). */
final class Binary {
    private Binary() {
    }

    static void check(String where, Tensor a, Tensor b) {
        Check.sameOwner(where, new String[] {"a", "b"}, a, b);
        Check.that(a.shape().equals(b.shape()), where, "a has shape " + a.shape() + " but b has shape " + b.shape()
                + ": they must be equal");
    }

    static void checkBackward(String where, Tensor dout, Tensor a) {
        Check.sameOwner(where, new String[] {"dout", "a"}, dout, a);
        Check.that(dout.shape().equals(a.shape()), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + a.shape());
    }
}
