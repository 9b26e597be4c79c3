package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** Max pooling over the {@link dev.nabla.nn.MaxPool2d} contract (window, strides and padding that never wins). */
public final class MaxPool2d extends Module {
    private final dev.nabla.nn.MaxPool2d.Spec spec;

    /** Pooling with this window, strides and padding. */
    public MaxPool2d(dev.nabla.nn.MaxPool2d.Spec spec) {
        this.spec = spec;
    }

    /** A square {@code k x k} window moved by {@code stride}. */
    public MaxPool2d(int k, int stride) {
        this(new dev.nabla.nn.MaxPool2d.Spec(k, k, stride));
    }

    /** Window, strides and padding. */
    public dev.nabla.nn.MaxPool2d.Spec spec() {
        return spec;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (!spec.fits(x)) {
            throw mismatch("(N, C, H, W) of at least the " + spec.poolH() + "x" + spec.poolW() + " window", x);
        }
        return spec.outputShape(x);
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.MaxPool2d.Cache> f = dev.nabla.nn.MaxPool2d.forward(single(inputs), spec);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {dev.nabla.nn.MaxPool2d.backward(dout, (dev.nabla.nn.MaxPool2d.Cache) cache)};
    }
}
