package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** (N, C, H, W) to (N, C), the mean of each plane, over the {@link dev.nabla.nn.GlobalAvgPool} contract. */
public final class GlobalAvgPool extends Module {
    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() != 4) {
            throw mismatch("(N, C, H, W)", x);
        }
        return Shape.of(x.dim(0), x.dim(1));
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.GlobalAvgPool.Cache> f = dev.nabla.nn.GlobalAvgPool.forward(single(inputs));
        if (!mode.grad()) {
            f.cache().weights().close();
            return new Forward<>(f.out(), null);
        }
        return f;
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        dev.nabla.nn.GlobalAvgPool.Cache c = (dev.nabla.nn.GlobalAvgPool.Cache) cache;
        Tensor dx = dev.nabla.nn.GlobalAvgPool.backward(dout, c);
        c.weights().close();
        return new Tensor[] {dx};
    }
}
