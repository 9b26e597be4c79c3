package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import java.util.function.BiFunction;
import java.util.function.Function;

/** An element-wise module without parameters over one layer contract: its output has its input's shape. */
abstract class Activation extends Module {
    private final Function<Tensor, Forward<?>> forward;
    private final BiFunction<Tensor, Object, Tensor> backward;

    /** The contract's forward and backward (the latter given the forward's cache). */
    Activation(Function<Tensor, Forward<?>> forward, BiFunction<Tensor, Object, Tensor> backward) {
        this.forward = forward;
        this.backward = backward;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        return single(inputs);
    }

    @Override
    public final Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<?> f = forward.apply(single(inputs));
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public final Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {backward.apply(dout, cache)};
    }
}
