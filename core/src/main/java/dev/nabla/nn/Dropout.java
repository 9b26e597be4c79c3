package dev.nabla.nn;

import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are scaled by
 * {@code 1 / (1 - p)}, so the expected output equals the input and inference is the identity.
 *
 * <p>The mask is a function of a seed and the element's flat index (a SplitMix64 hash), not of a generator's
 * running state, so a forward pass repeats exactly for the same seed, on every backend. Backward
 * (docs/derivations.md, section 11): {@code dX = dY * mask}, the same mask.
 */
public final class Dropout {
    private Dropout() {
    }

    /** What the backward pass needs: the mask (0 or 1/(1-p) per element). */
    public record Cache(Tensor mask) {
    }

    /** {@code x * mask} with the mask drawn from {@code seed}; p = 0 keeps everything (the mask is all ones). */
    public static Forward<Cache> forward(Tensor x, double p, long seed) {
        String where = "Dropout.forward";
        Check.that(p >= 0 && p < 1, where, "the drop probability p must be in [0, 1), got " + p);
        Tensor mask = mask(x, p, seed);
        return new Forward<>(x.backend().mul(x, mask), new Cache(mask));
    }

    /** {@code dout * mask}. */
    public static Tensor backward(Tensor dout, Cache cache) {
        Unary.check("Dropout.backward", dout, cache.mask());
        return dout.backend().mul(dout, cache.mask());
    }

    /**
     * The seed of forward pass {@code pass} of a run seeded with {@code seed}: hashed, so the masks of consecutive
     * passes are independent rather than shifted copies of one sequence.
     */
    public static long passSeed(long seed, long pass) {
        return mix(seed ^ mix(pass + 0x632BE59BD9B4E019L));
    }

    /** Whether element {@code i} survives under {@code seed}: a uniform number in [0, 1) from its hash is at least p. */
    public static boolean keeps(long seed, long i, double p) {
        return (mix(seed + (i + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 >= p;
    }

    private static Tensor mask(Tensor x, double p, long seed) {
        Shape s = x.shape();
        double scale = 1 / (1 - p);
        double[] m = new double[s.intSize()];
        for (int i = 0; i < m.length; i++) {
            m[i] = keeps(seed, i, p) ? scale : 0;
        }
        return x.backend().fromArray(m, x.dtype(), s);
    }

    /** SplitMix64's finalizer (Steele, Lea and Flood 2014): consecutive inputs give independent-looking outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
