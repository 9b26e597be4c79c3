package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import java.util.function.BiFunction;

/** A module of two same-shaped inputs over one layer contract (sum, difference, product): the output has their shape. */
abstract class ElementWise extends Module {
    private final BiFunction<Tensor, Tensor, Forward<?>> forward;
    private final BiFunction<Tensor, Object, Tensor[]> backward;

    /** The contract's forward and backward (the latter given the forward's cache, giving both inputs' gradients). */
    ElementWise(BiFunction<Tensor, Tensor, Forward<?>> forward, BiFunction<Tensor, Object, Tensor[]> backward) {
        this.forward = forward;
        this.backward = backward;
    }

    @Override
    public final boolean acceptsInputs(int n) {
        return n == 2;
    }

    @Override
    public final Shape outputShape(Shape... inputs) {
        if (inputs.length != 2 || !inputs[0].equals(inputs[1])) {
            throw new IllegalArgumentException(kind() + " expects two inputs of the same shape but got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public final Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<?> f = forward.apply(inputs[0], inputs[1]);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public final Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return backward.apply(dout, cache);
    }
}
