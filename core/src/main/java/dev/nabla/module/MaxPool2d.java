package dev.nabla.module;

/** Max pooling over the {@link dev.nabla.nn.MaxPool2d} contract (window, strides and padding that never wins). */
public final class MaxPool2d extends Pooling<dev.nabla.nn.MaxPool2d.Spec> {
    /** Pooling with this window, strides and padding. */
    public MaxPool2d(dev.nabla.nn.MaxPool2d.Spec spec) {
        super(spec, dev.nabla.nn.MaxPool2d::forward,
                (dout, cache) -> dev.nabla.nn.MaxPool2d.backward(dout, (dev.nabla.nn.MaxPool2d.Cache) cache));
    }

    /** A square {@code k x k} window moved by {@code stride}. */
    public MaxPool2d(int k, int stride) {
        this(new dev.nabla.nn.MaxPool2d.Spec(k, k, stride));
    }
}
