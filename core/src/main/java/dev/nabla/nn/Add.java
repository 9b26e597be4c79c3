package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Element-wise sum of two same-shaped tensors, the residual connection: {@code Y = A + B}.
 *
 * <p>Backward: the sum passes its gradient to both inputs unchanged, {@code dA = dB = dY}.
 */
public final class Add {
    private Add() {
    }

    /** Nothing: the gradient does not depend on the inputs; only their shape is kept for the check. */
    public record Cache(Tensor a) {
    }

    /** Gradients of the loss with respect to a and b. */
    public record Grads(Tensor da, Tensor db) {
    }

    /** {@code a + b}. */
    public static Forward<Cache> forward(Tensor a, Tensor b) {
        Binary.check("Add.forward", a, b);
        return new Forward<>(a.backend().add(a, b), new Cache(a));
    }

    /** {@code dout} for both inputs (two copies, so neither aliases the other or the caller's tensor). */
    public static Grads backward(Tensor dout, Cache cache) {
        Binary.checkBackward("Add.backward", dout, cache.a());
        return new Grads(dout.copy(), dout.copy());
    }
}
