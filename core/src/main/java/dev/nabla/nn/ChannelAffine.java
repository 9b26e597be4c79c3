package dev.nabla.nn;

import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * A per-channel affine map by constants: {@code Y[n, c, ...] = X[n, c, ...] * scale[c] + shift[c]} for X
 * (N, C, d2, ..., dk) and scale, shift (C) (an imported {@code Mul} or {@code Add} by a per-channel or scalar
 * constant; {@link BatchNorm} is the same map with learned and normalizing numbers).
 *
 * <p>Backward (docs/derivations.md, section 14.3): {@code dX[n, c, ...] = dY[n, c, ...] * scale[c]}; scale and
 * shift are constants, so they get no gradient.
 */
public final class ChannelAffine {
    private ChannelAffine() {
    }

    /** What the backward pass needs: the scale, and the input's shape for the check. */
    public record Cache(Tensor scale, Shape xShape) {
    }

    /** {@code x * scale[c] + shift[c]}. */
    public static Forward<Cache> forward(Tensor x, Tensor scale, Tensor shift) {
        String where = "ChannelAffine.forward";
        Check.sameOwner(where, new String[] {"x", "scale", "shift"}, x, scale, shift);
        Check.that(x.shape().rank() >= 2, where, "x must be (N, C, ...) but has shape " + x.shape());
        Shape c = Shape.of(x.shape().dim(1));
        Check.that(scale.shape().equals(c) && shift.shape().equals(c), where, "scale has shape " + scale.shape()
                + " and shift " + shift.shape() + " but x has shape " + x.shape() + ": both need " + c);
        return new Forward<>(x.backend().channelAffine(x, scale, shift), new Cache(scale, x.shape()));
    }

    /** {@code dout * scale[c]}. */
    public static Tensor backward(Tensor dout, Cache cache) {
        String where = "ChannelAffine.backward";
        Check.sameOwner(where, new String[] {"dout", "scale"}, dout, cache.scale());
        Check.that(dout.shape().equals(cache.xShape()), where, "dout has shape " + dout.shape()
                + " but the forward output had shape " + cache.xShape());
        try (Tensor zero = dout.backend().zeros(dout.dtype(), cache.scale().shape())) {
            return dout.backend().channelAffine(dout, cache.scale(), zero);
        }
    }
}
