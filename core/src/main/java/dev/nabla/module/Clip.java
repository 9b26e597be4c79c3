package dev.nabla.module;

import dev.nabla.nn.Clip.Cache;

/**
 * {@code min(max(x, lo), hi)}, element-wise, over the {@link dev.nabla.nn.Clip} contract; either bound may be
 * infinite. For {@code [0, 6]} use {@link ReLU6}, the same function.
 */
public final class Clip extends Activation {
    private final double lo;
    private final double hi;

    /** The layer clipping to {@code [lo, hi]}; it has no parameters. */
    public Clip(double lo, double hi) {
        super(x -> dev.nabla.nn.Clip.forward(x, lo, hi), (dout, cache) -> dev.nabla.nn.Clip.backward(dout, (Cache) cache));
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("Clip: the bounds must satisfy lo <= hi, got [" + lo + ", " + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
    }

    /** The lower bound. */
    public double lo() {
        return lo;
    }

    /** The upper bound. */
    public double hi() {
        return hi;
    }

    @Override
    public String toString() {
        return "Clip(" + lo + ", " + hi + ")";
    }
}
