package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;

/**
 * Inverted dropout over the {@link dev.nabla.nn.Dropout} contract: in training each element is zeroed with
 * probability p and the rest scaled by 1/(1-p); in inference the input passes unchanged.
 *
 * <p>Seeded: the i-th training forward pass draws its mask from (seed, i), so a run with the same seed repeats,
 * on every backend.
 */
public final class Dropout extends Module {
    private final double p;
    private final long seed;
    private long calls;

    /** Drops with probability {@code p} in [0, 1), masks drawn from {@code seed}. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /** Training forward passes so far: the position in the mask sequence. */
    public long calls() {
        return calls;
    }

    /** Moves to another position in the mask sequence (to resume a run exactly). */
    public void setCalls(long calls) {
        this.calls = calls;
    }

    @Override
    protected java.util.Map<String, Long> ownCounters() {
        return java.util.Map.of("calls", calls);
    }

    @Override
    protected void restoreOwnCounters(java.util.Map<String, Long> counters) {
        calls = counters.getOrDefault("calls", calls);
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        return single(inputs);
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Tensor x = single(inputs);
        if (!mode.training()) {
            // A copy, not x itself: a container closes each value after use and must not close the input twice.
            return new Forward<>(x.copy(), mode.grad() ? NONE : null);
        }
        Forward<dev.nabla.nn.Dropout.Cache> f = dev.nabla.nn.Dropout.forward(x, p,
                dev.nabla.nn.Dropout.passSeed(seed, calls++));
        if (!mode.grad()) {
            f.cache().mask().close();
            return new Forward<>(f.out(), null);
        }
        return f;
    }

    /** The cache of an inference pass kept for backward: the identity's gradient. */
    private static final Object NONE = new Object();

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        if (cache == NONE) {
            return new Tensor[] {dout.copy()};
        }
        dev.nabla.nn.Dropout.Cache c = (dev.nabla.nn.Dropout.Cache) cache;
        Tensor dx = dev.nabla.nn.Dropout.backward(dout, c);
        c.mask().close();
        return new Tensor[] {dx};
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
