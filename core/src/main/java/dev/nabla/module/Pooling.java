package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import dev.nabla.nn.PoolWindow;
import java.util.function.BiFunction;

/** A window pooling module without parameters over one layer contract (max or average pooling). */
abstract class Pooling<S extends PoolWindow> extends Module {
    private final S spec;
    private final BiFunction<Tensor, S, Forward<?>> forward;
    private final BiFunction<Tensor, Object, Tensor> backward;

    /** The window and the contract's forward and backward (the latter given the forward's cache). */
    Pooling(S spec, BiFunction<Tensor, S, Forward<?>> forward, BiFunction<Tensor, Object, Tensor> backward) {
        this.spec = spec;
        this.forward = forward;
        this.backward = backward;
    }

    /** Window, strides and padding (and, for average pooling, the divisor). */
    public S spec() {
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
    public final Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<?> f = forward.apply(single(inputs), spec);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public final Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {backward.apply(dout, cache)};
    }
}
