package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** (N, d1, ..., dk) to (N, d1*...*dk), as PyTorch's {@code nn.Flatten()}: a reshape, sharing memory, no copy. */
public final class Flatten extends Module {
    @Override
    public boolean aliasesInput() {
        return true;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() < 1) {
            throw mismatch("(N, ...)", x);
        }
        return Shape.of(x.dim(0), x.sizeFrom(1));
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Tensor x = single(inputs);
        return new Forward<>(x.reshape(outputShape(x.shape())), mode.grad() ? x.shape() : null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {dout.reshape((Shape) cache)};
    }
}
