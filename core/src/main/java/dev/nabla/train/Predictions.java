package dev.nabla.train;

import dev.nabla.Tensor;

/** Turning class scores into predicted classes. */
public final class Predictions {
    private Predictions() {
    }

    /** The index of the largest score in each row of {@code scores} (N, C); the first one on ties. */
    public static int[] argmax(Tensor scores) {
        if (scores.shape().rank() != 2) {
            throw new IllegalArgumentException("argmax: scores must be (N, C) but have shape " + scores.shape());
        }
        int n = scores.shape().dim(0);
        int c = scores.shape().dim(1);
        float[] s = scores.toFloatArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (s[i * c + j] > s[i * c + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
