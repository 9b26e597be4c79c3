package dev.nabla.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni, Roukos, Ward and Zhu 2002), without smoothing; the definition is written out in
 * {@code docs/bleu.md}.
 *
 * <p>For n = 1..N: the modified n-gram precision {@code p_n} sums, over every candidate, each n-gram's count
 * clipped by the largest count of that n-gram in any one of the candidate's references, and divides by the
 * number of n-grams of all candidates. The brevity penalty is {@code BP = 1} if {@code c > r}, else
 * {@code exp(1 - r / c)}, with c the total candidate length and r the sum over candidates of the reference
 * length closest to the candidate's length (the shorter one on a tie). {@code BLEU-N = BP * exp(sum_n log(p_n)
 * / N)}, which is 0 when any {@code p_n} is 0.
 */
public final class Bleu {
    private Bleu() {
    }

    /**
     * The corpus statistics and scores.
     *
     * @param matches clipped n-gram matches, index n-1
     * @param totals candidate n-grams, index n-1
     * @param candidateLength c
     * @param referenceLength r (the closest reference lengths summed)
     * @param scores BLEU-1..N, index n-1
     */
    public record Result(long[] matches, long[] totals, long candidateLength, long referenceLength, double[] scores) {
        /** The modified precision {@code p_n} (0 when there are no n-grams). */
        public double precision(int n) {
            return totals[n - 1] == 0 ? 0 : matches[n - 1] / (double) totals[n - 1];
        }

        /** The brevity penalty. */
        public double brevityPenalty() {
            return Bleu.brevityPenalty(candidateLength, referenceLength);
        }

        /** BLEU-n. */
        public double bleu(int n) {
            return scores[n - 1];
        }
    }

    /**
     * Corpus BLEU-1..{@code maxN} of tokenised candidates against their references.
     *
     * @param candidates one token list per segment
     * @param references for each segment, its reference token lists (at least one)
     */
    public static Result corpus(List<List<String>> candidates, List<List<List<String>>> references, int maxN) {
        if (candidates.size() != references.size() || maxN < 1) {
            throw new IllegalArgumentException("Bleu.corpus: " + candidates.size() + " candidates but "
                    + references.size() + " reference sets; maxN " + maxN + " must be at least 1");
        }
        long[] matches = new long[maxN];
        long[] totals = new long[maxN];
        long c = 0;
        long r = 0;
        for (int s = 0; s < candidates.size(); s++) {
            List<String> cand = candidates.get(s);
            List<List<String>> refs = references.get(s);
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("Bleu.corpus: segment " + s + " has no reference");
            }
            c += cand.size();
            r += closestLength(cand.size(), refs);
            for (int n = 1; n <= maxN; n++) {
                Map<List<String>, Integer> counts = ngrams(cand, n);
                Map<List<String>, Integer> maxRef = new HashMap<>();
                for (List<String> ref : refs) {
                    ngrams(ref, n).forEach((g, k) -> maxRef.merge(g, k, Math::max));
                }
                for (Map.Entry<List<String>, Integer> e : counts.entrySet()) {
                    matches[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                    totals[n - 1] += e.getValue();
                }
            }
        }
        double bp = brevityPenalty(c, r);
        double[] scores = new double[maxN];
        double logSum = 0;
        boolean zero = false;
        for (int n = 1; n <= maxN; n++) {
            if (matches[n - 1] == 0) {
                zero = true;
            } else {
                logSum += Math.log(matches[n - 1] / (double) totals[n - 1]);
            }
            scores[n - 1] = zero ? 0 : bp * Math.exp(logSum / n);
        }
        return new Result(matches, totals, c, r, scores);
    }

    /** The length of the reference closest to {@code length}; the shorter one when two are equally close. */
    static int closestLength(int length, List<List<String>> refs) {
        int best = refs.get(0).size();
        for (List<String> ref : refs) {
            int d = Math.abs(ref.size() - length);
            int bd = Math.abs(best - length);
            if (d < bd || (d == bd && ref.size() < best)) {
                best = ref.size();
            }
        }
        return best;
    }

    private static double brevityPenalty(long c, long r) {
        if (c > r) {
            return 1;
        }
        return c == 0 ? 0 : Math.exp(1 - r / (double) c);
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            m.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return m;
    }
}
