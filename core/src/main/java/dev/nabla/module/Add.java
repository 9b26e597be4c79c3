package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** The sum of two same-shaped inputs (a residual connection), over the {@link dev.nabla.nn.Add} contract. */
public final class Add extends Module {
    @Override
    public boolean acceptsInputs(int n) {
        return n == 2;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        if (inputs.length != 2 || !inputs[0].equals(inputs[1])) {
            throw new IllegalArgumentException("Add expects two inputs of the same shape but got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.Add.Cache> f = dev.nabla.nn.Add.forward(inputs[0], inputs[1]);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        dev.nabla.nn.Add.Grads g = dev.nabla.nn.Add.backward(dout, (dev.nabla.nn.Add.Cache) cache);
        return new Tensor[] {g.da(), g.db()};
    }
}
