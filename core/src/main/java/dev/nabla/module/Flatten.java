package dev.nabla.module;

import dev.nabla.Shape;

/** (N, d1, ..., dk) to (N, d1*...*dk), as PyTorch's {@code nn.Flatten()}: a reshape, sharing memory, no copy. */
public final class Flatten extends View {
    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() < 1) {
            throw mismatch("(N, ...)", x);
        }
        return Shape.of(x.dim(0), x.sizeFrom(1));
    }
}
