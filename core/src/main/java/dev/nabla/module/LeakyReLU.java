package dev.nabla.module;

import dev.nabla.nn.LeakyReLU.Cache;

/** {@code x} where positive, else {@code alpha x}, element-wise, over the {@link dev.nabla.nn.LeakyReLU} contract. */
public final class LeakyReLU extends Activation {
    private final double alpha;

    /** The layer with PyTorch's and ONNX's default slope, 0.01. */
    public LeakyReLU() {
        this(dev.nabla.nn.LeakyReLU.DEFAULT_ALPHA);
    }

    /** The layer with slope {@code alpha} for negative inputs; it has no parameters. */
    public LeakyReLU(double alpha) {
        super(x -> dev.nabla.nn.LeakyReLU.forward(x, alpha),
                (dout, cache) -> dev.nabla.nn.LeakyReLU.backward(dout, (Cache) cache));
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LeakyReLU: alpha must be finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    /** The slope for negative inputs. */
    public double alpha() {
        return alpha;
    }

    @Override
    public String toString() {
        return "LeakyReLU(" + alpha + ")";
    }
}
