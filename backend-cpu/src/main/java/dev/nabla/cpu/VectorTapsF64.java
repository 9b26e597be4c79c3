package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.DoubleVector/*acc*/;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The filter-tap sums of {@link DepthwiseF64} on the incubating Vector API; used only when {@link Simd#ENABLED}.
 *
 * <p>{@link #accumulate}: all taps of a plane in one pass, the partial sum of a vector of outputs kept in a
 * register: measured 2.2x the one-pass-per-tap vector loop and 10x C2's code for the plain loops at MobileNetV2's
 * 3x3 shapes (one core, AVX-512). Multiply, then add, as the plain loops do (no fused multiply-add), so both give
 * the same bits. {@link #correlate}: the weight gradient's dot products, summed by lane.
 */
final class VectorTapsF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The accumulators' lanes, 64-bit in both precisions: a 32-bit vector of products widens into two. */
    private static final VectorSpecies<Double/*acc*/> A = DoubleVector/*acc*/.SPECIES_PREFERRED;
    private static final int PARTS = L / A.length();
    private static final VectorOperators.Conversion<Double, Double/*acc*/> WIDEN =
            VectorOperators.Conversion.ofCast(double.class, double/*acc*/.class);

    private VectorTapsF64() {
    }

    /** out[at + q] += w[0] * in[from[0] + q] + ... + w[taps-1] * in[from[taps-1] + q], added in that order. */
    static void accumulate(double[] out, int at, int n, double[] in, int[] from, double[] w, int taps) {
        int q = 0;
        for (; q + L <= n; q += L) {
            DoubleVector o = DoubleVector.fromArray(S, out, at + q);
            for (int t = 0; t < taps; t++) {
                o = o.add(DoubleVector.fromArray(S, in, from[t] + q).mul(w[t]));
            }
            o.intoArray(out, at + q);
        }
        for (; q < n; q++) {
            double o = out[at + q];
            for (int t = 0; t < taps; t++) {
                o += w[t] * in[from[t] + q];
            }
            out[at + q] = o;
        }
    }

    /**
     * sums[t] += the sum over q < n of d[at + q] * in[from[t] + q], for each tap t: the products in the element
     * precision, their sum in a 64-bit accumulator, three taps to a pass over d. Each lane sums every L-th product
     * and the lanes are added in lane order, so the result is fixed, but associated otherwise than the plain loop's.
     */
    static void correlate(double[] d, int at, int n, double[] in, int[] from, int taps, double/*acc*/[] sums) {
        for (int t = 0; t < taps; t += 3) {
            int k = Math.min(3, taps - t);
            correlate3(d, at, n, in, from[t], from[t + Math.min(1, k - 1)], from[t + k - 1], sums, t, k);
        }
    }

    /**
     * The first {@code k} (1 to 3) of three taps at once into sums[t..t+k); a tap past k repeats the last offset
     * and is dropped. Six named accumulators, as in {@link VectorGemmF64}: an array of vectors would box.
     */
    private static void correlate3(double[] d, int at, int n, double[] in, int f0, int f1, int f2,
                                   double/*acc*/[] sums, int t, int k) {
        DoubleVector/*acc*/ a0 = DoubleVector/*acc*/.zero(A);
        DoubleVector/*acc*/ a1 = a0;
        DoubleVector/*acc*/ b0 = a0;
        DoubleVector/*acc*/ b1 = a0;
        DoubleVector/*acc*/ c0 = a0;
        DoubleVector/*acc*/ c1 = a0;
        int q = 0;
        for (; q + L <= n; q += L) {
            DoubleVector dv = DoubleVector.fromArray(S, d, at + q);
            DoubleVector p0 = dv.mul(DoubleVector.fromArray(S, in, f0 + q));
            DoubleVector p1 = dv.mul(DoubleVector.fromArray(S, in, f1 + q));
            DoubleVector p2 = dv.mul(DoubleVector.fromArray(S, in, f2 + q));
            a0 = a0.add((DoubleVector/*acc*/) p0.convertShape(WIDEN, A, 0));
            b0 = b0.add((DoubleVector/*acc*/) p1.convertShape(WIDEN, A, 0));
            c0 = c0.add((DoubleVector/*acc*/) p2.convertShape(WIDEN, A, 0));
            if (PARTS == 2) {
                a1 = a1.add((DoubleVector/*acc*/) p0.convertShape(WIDEN, A, 1));
                b1 = b1.add((DoubleVector/*acc*/) p1.convertShape(WIDEN, A, 1));
                c1 = c1.add((DoubleVector/*acc*/) p2.convertShape(WIDEN, A, 1));
            }
        }
        // Not reduceLanes: its order of additions is unspecified (it may even vary between runs).
        double/*acc*/ s0 = inLaneOrder(a0, a1);
        double/*acc*/ s1 = inLaneOrder(b0, b1);
        double/*acc*/ s2 = inLaneOrder(c0, c1);
        for (; q < n; q++) {
            s0 += d[at + q] * in[f0 + q];
            s1 += d[at + q] * in[f1 + q];
            s2 += d[at + q] * in[f2 + q];
        }
        sums[t] += s0;
        if (k > 1) {
            sums[t + 1] += s1;
        }
        if (k > 2) {
            sums[t + 2] += s2;
        }
    }

    /** The lanes of lo, then of hi (zero unless a vector of products widens into two), added one by one. */
    private static double/*acc*/ inLaneOrder(DoubleVector/*acc*/ lo, DoubleVector/*acc*/ hi) {
        double/*acc*/ s = 0;
        for (int i = 0; i < A.length(); i++) {
            s += lo.lane(i);
        }
        for (int i = 0; PARTS == 2 && i < A.length(); i++) {
            s += hi.lane(i);
        }
        return s;
    }
}
