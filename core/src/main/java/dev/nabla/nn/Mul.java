package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Element-wise product of two same-shaped tensors, {@code Y = A * B} (a gate, or an imported {@code Mul} of two
 * computed values).
 *
 * <p>Backward (docs/derivations.md, section 14.4), by the product rule: {@code dA = dY * B}, {@code dB = dY * A}.
 */
public final class Mul {
    private Mul() {
    }

    /** What the backward pass needs: both inputs. */
    public record Cache(Tensor a, Tensor b) {
    }

    /** Gradients of the loss with respect to a and b. */
    public record Grads(Tensor da, Tensor db) {
    }

    /** {@code a * b}. */
    public static Forward<Cache> forward(Tensor a, Tensor b) {
        Binary.check("Mul.forward", a, b);
        return new Forward<>(a.backend().mul(a, b), new Cache(a, b));
    }

    /** {@code dout * b} and {@code dout * a}. */
    public static Grads backward(Tensor dout, Cache cache) {
        Binary.checkBackward("Mul.backward", dout, cache.a());
        return new Grads(dout.backend().mul(dout, cache.b()), dout.backend().mul(dout, cache.a()));
    }
}
