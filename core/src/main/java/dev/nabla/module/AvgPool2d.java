package dev.nabla.module;

/** Average pooling over the {@link dev.nabla.nn.AvgPool2d} contract (kernel, stride, padding, {@code count_include_pad}). */
public final class AvgPool2d extends Pooling<dev.nabla.nn.AvgPool2d.Spec> {
    /** Pooling with this window, stride, padding and divisor. */
    public AvgPool2d(dev.nabla.nn.AvgPool2d.Spec spec) {
        super(spec, dev.nabla.nn.AvgPool2d::forward,
                (dout, cache) -> dev.nabla.nn.AvgPool2d.backward(dout, (dev.nabla.nn.AvgPool2d.Cache) cache));
    }

    /** A square {@code k x k} window moved by {@code stride}, padding {@code pad}, padded zeros counted (PyTorch's default). */
    public AvgPool2d(int k, int stride, int pad) {
        this(dev.nabla.nn.AvgPool2d.Spec.of(k, stride, pad));
    }
}
