package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/**
 * A module that shows each input with another shape of the same elements ({@link Flatten}, {@link Reshape}): the
 * output shares memory with the input, and the gradient is the output's seen with the input's shape.
 */
abstract class View extends Module {
    @Override
    public final boolean aliasesInput() {
        return true;
    }

    @Override
    public final Forward<?> forward(Mode mode, Tensor... inputs) {
        Tensor x = single(inputs);
        return new Forward<>(x.reshape(outputShape(x.shape())), mode.grad() ? x.shape() : null);
    }

    @Override
    public final Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {dout.reshape((Shape) cache)};
    }
}
