package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** Its inputs side by side along the channel axis 1, over the {@link dev.nabla.nn.Concat} contract. */
public final class Concat extends Module {
    @Override
    public boolean acceptsInputs(int n) {
        return n >= 1;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape first = inputs[0];
        int[] dims = first.dims();
        dims[1] = 0;
        for (Shape s : inputs) {
            boolean fits = s.rank() == first.rank() && s.rank() >= 2 && s.dim(0) == first.dim(0);
            for (int a = 2; fits && a < s.rank(); a++) {
                fits = s.dim(a) == first.dim(a);
            }
            if (!fits) {
                throw new IllegalArgumentException("Concat expects inputs that differ only in axis 1 but got "
                        + java.util.Arrays.toString(inputs));
            }
            dims[1] += s.dim(1);
        }
        return Shape.of(dims);
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.Concat.Cache> f = dev.nabla.nn.Concat.forward(inputs);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return dev.nabla.nn.Concat.backward(dout, (dev.nabla.nn.Concat.Cache) cache);
    }
}
