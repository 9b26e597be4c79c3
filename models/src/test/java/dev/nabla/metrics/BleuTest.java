package dev.nabla.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Corpus BLEU on the worked example of docs/bleu.md, every count done by hand. */
class BleuTest {
    private static List<String> t(String s) {
        return Arrays.asList(s.split(" "));
    }

    @Test
    void workedExampleFromTheDocs() {
        // Segment 1: "the the the cat" against "the cat is on the mat" and "there is a cat here".
        //   unigrams: the x3 clipped to 2 (the most any one reference has), cat 1 -> 3 of 4
        //   bigrams: "the the" x2 -> 0, "the cat" -> 1 -> 1 of 3; trigrams 0 of 2; 4-grams 0 of 1
        //   length 4, references 6 and 5 -> closest 5
        // Segment 2: "a dog runs" against "a dog runs fast" and "the dog runs".
        //   unigrams 3 of 3, bigrams 2 of 2, trigrams 1 of 1, no 4-gram; length 3, closest reference 3
        // p1 = 6/7, p2 = 3/5, p3 = 1/3, p4 = 0/1; c = 7, r = 8 -> BP = exp(1 - 8/7)
        Bleu.Result r = Bleu.corpus(List.of(t("the the the cat"), t("a dog runs")),
                List.of(List.of(t("the cat is on the mat"), t("there is a cat here")),
                        List.of(t("a dog runs fast"), t("the dog runs"))), 4);
        assertArrayEquals(new long[] {6, 3, 1, 0}, r.matches());
        assertArrayEquals(new long[] {7, 5, 3, 1}, r.totals());
        assertEquals(7, r.candidateLength());
        assertEquals(8, r.referenceLength());
        double bp = Math.exp(1 - 8.0 / 7);
        assertEquals(bp, r.brevityPenalty(), 1e-15);
        assertEquals(bp * 6 / 7, r.bleu(1), 1e-12);
        assertEquals(bp * Math.sqrt(6.0 / 7 * 3 / 5), r.bleu(2), 1e-12);
        assertEquals(bp * Math.cbrt(6.0 / 7 * 3 / 5 / 3), r.bleu(3), 1e-12);
        assertEquals(0, r.bleu(4), 0, "no smoothing: a zero 4-gram precision gives BLEU-4 = 0");
        assertEquals(0.7430, r.bleu(1), 5e-5);
        assertEquals(0.6217, r.bleu(2), 5e-5);
        assertEquals(0.4816, r.bleu(3), 5e-5);
    }

    @Test
    void aCandidateEqualToAReferenceScoresOne() {
        Bleu.Result r = Bleu.corpus(List.of(t("a man rides a horse")),
                List.of(List.of(t("a person on a horse"), t("a man rides a horse"))), 4);
        assertArrayEquals(new double[] {1, 1, 1, 1}, r.scores(), 1e-15);
    }

    @Test
    void longerCandidatesAreNotPenalisedAndTiesTakeTheShorterReference() {
        assertEquals(2, Bleu.closestLength(3, List.of(t("a b c d"), t("a b"))));
        Bleu.Result r = Bleu.corpus(List.of(t("a b c")), List.of(List.of(t("a b"))), 1);
        assertEquals(1, r.brevityPenalty());
        assertEquals(2.0 / 3, r.bleu(1), 1e-15);
    }

    @Test
    void mismatchedInputsFail() {
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(t("a")), List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(t("a")), List.of(List.of()), 4));
    }
}
