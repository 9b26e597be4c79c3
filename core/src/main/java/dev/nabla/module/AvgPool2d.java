package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/** Average pooling over the {@link dev.nabla.nn.AvgPool2d} contract (kernel, stride, padding, {@code count_include_pad}). */
public final class AvgPool2d extends Module {
    private final dev.nabla.nn.AvgPool2d.Spec spec;

    /** Pooling with this window, stride, padding and divisor. */
    public AvgPool2d(dev.nabla.nn.AvgPool2d.Spec spec) {
        this.spec = spec;
    }

    /** A square {@code k x k} window moved by {@code stride}, padding {@code pad}, padded zeros counted (PyTorch's default). */
    public AvgPool2d(int k, int stride, int pad) {
        this(dev.nabla.nn.AvgPool2d.Spec.of(k, stride, pad));
    }

    /** Window, stride, padding and divisor. */
    public dev.nabla.nn.AvgPool2d.Spec spec() {
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
        Forward<dev.nabla.nn.AvgPool2d.Cache> f = dev.nabla.nn.AvgPool2d.forward(single(inputs), spec);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {dev.nabla.nn.AvgPool2d.backward(dout, (dev.nabla.nn.AvgPool2d.Cache) cache)};
    }
}
