package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Element-wise difference of two same-shaped tensors, {@code Y = A - B} (an imported {@code Sub} of two computed
 * values).
 *
 * <p>Backward (docs/derivations.md, section 14.4): {@code dA = dY}, {@code dB = -dY}.
 */
public final class Sub {
    private Sub() {
    }

    /** Only a's shape is needed, for the check: the gradient does not depend on the inputs. */
    public record Cache(Tensor a) {
    }

    /** Gradients of the loss with respect to a and b. */
    public record Grads(Tensor da, Tensor db) {
    }

    /** {@code a - b}, exactly: {@code a + (-1) b} rounds once. */
    public static Forward<Cache> forward(Tensor a, Tensor b) {
        Binary.check("Sub.forward", a, b);
        Tensor y = a.copy();
        y.addScaled(-1, b);
        return new Forward<>(y, new Cache(a));
    }

    /** {@code dout} and {@code -dout} (copies, so neither aliases the caller's tensor). */
    public static Grads backward(Tensor dout, Cache cache) {
        Binary.checkBackward("Sub.backward", dout, cache.a());
        Tensor db = dout.copy();
        db.scale(-1);
        return new Grads(dout.copy(), db);
    }
}
