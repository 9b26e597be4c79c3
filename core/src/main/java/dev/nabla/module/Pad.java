package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** Zeros around the two spatial axes of (N, C, H, W), over the {@link dev.nabla.nn.Pad} contract. */
public final class Pad extends Module {
    private final dev.nabla.nn.Pad.Spec spec;

    /** Padding by {@code spec}'s numbers of zeros on each side. */
    public Pad(dev.nabla.nn.Pad.Spec spec) {
        this.spec = spec;
    }

    /** The zeros on each side. */
    public dev.nabla.nn.Pad.Spec spec() {
        return spec;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() != 4) {
            throw mismatch("(N, C, H, W)", x);
        }
        return spec.apply(x);
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.Pad.Cache> f = dev.nabla.nn.Pad.forward(single(inputs), spec);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {dev.nabla.nn.Pad.backward(dout, (dev.nabla.nn.Pad.Cache) cache)};
    }

    @Override
    public String toString() {
        return "Pad(" + spec + ")";
    }
}
