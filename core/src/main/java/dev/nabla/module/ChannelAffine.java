package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/**
 * {@code x[n, c, ...] * scale[c] + shift[c]} by constant (C) vectors, over the {@link dev.nabla.nn.ChannelAffine}
 * contract: a multiplication or addition by a per-channel or scalar constant (ONNX's {@code Mul}, {@code Add} and
 * {@code Sub} by an initializer). The vectors are buffers, saved with the module but never trained, as the
 * constants they stand for; a learned per-channel affine map is a {@link BatchNorm}'s.
 */
public final class ChannelAffine extends Module {
    private final Tensor scale;
    private final Tensor shift;

    /** The map by {@code scale} and {@code shift}, both of shape (C). */
    public ChannelAffine(Tensor scale, Tensor shift) {
        if (scale.shape().rank() != 1 || !scale.shape().equals(shift.shape())) {
            throw new IllegalArgumentException("ChannelAffine: scale and shift must both be (C,), got " + scale.shape()
                    + " and " + shift.shape());
        }
        this.scale = addBuffer("scale", scale);
        this.shift = addBuffer("shift", shift);
    }

    /** The per-channel factors. */
    public Tensor scale() {
        return scale;
    }

    /** The per-channel offsets. */
    public Tensor shift() {
        return shift;
    }

    /** Channels. */
    public int channels() {
        return scale.shape().dim(0);
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() < 2 || x.dim(1) != channels()) {
            throw mismatch("(N, " + channels() + ", ...)", x);
        }
        return x;
    }

    @Override
    public long multiplyAdds(Shape... inputs) {
        return single(inputs).size();
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.ChannelAffine.Cache> f = dev.nabla.nn.ChannelAffine.forward(single(inputs), scale, shift);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        return new Tensor[] {dev.nabla.nn.ChannelAffine.backward(dout, (dev.nabla.nn.ChannelAffine.Cache) cache)};
    }

    @Override
    public String toString() {
        return "ChannelAffine(" + channels() + ")";
    }
}
