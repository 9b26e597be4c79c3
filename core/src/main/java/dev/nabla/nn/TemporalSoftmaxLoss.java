package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Softmax cross-entropy at every time step, with a mask:
 * {@code L = (1/N) sum_{n,t} mask[n][t] * -log softmax(s[n, t])[y[n][t]]}.
 *
 * <p>Scores are (N, T, V), targets (N, T) in [0, V), mask (N, T). Summed over time and averaged over
 * the minibatch, as in the course; a masked position (a {@code <NULL>} pad) adds neither loss nor
 * gradient: {@code dS[n, t] = mask[n][t] * (softmax(s[n, t]) - onehot(y[n][t])) / N}.
 */
public final class TemporalSoftmaxLoss {
    private TemporalSoftmaxLoss() {
    }

    /** Loss and the gradient of the scores (N, T, V) in one pass. */
    public static SoftmaxLoss.Result forwardBackward(Tensor scores, int[][] targets, boolean[][] mask) {
        String where = "TemporalSoftmaxLoss";
        Check.rank(where, "scores", scores, 3, "(N, T, V)");
        int n = scores.shape().dim(0);
        int steps = scores.shape().dim(1);
        int vocab = scores.shape().dim(2);
        Check.that(targets.length == n && mask.length == n, where, "targets has " + targets.length
                + " rows and mask " + mask.length + " but scores has shape " + scores.shape() + ": both need " + n);
        int[] labels = new int[n * steps];
        double[] weights = new double[n * steps];
        for (int i = 0; i < n; i++) {
            Check.that(targets[i].length == steps && mask[i].length == steps, where, "targets[" + i + "] has "
                    + targets[i].length + " entries and mask[" + i + "] " + mask[i].length + " but scores has shape "
                    + scores.shape() + ": both need " + steps);
            for (int t = 0; t < steps; t++) {
                int y = targets[i][t];
                Check.that(y >= 0 && y < vocab, where, "targets[" + i + "][" + t + "] = " + y + " is outside [0, "
                        + vocab + ") for scores of shape " + scores.shape());
                labels[i * steps + t] = y;
                weights[i * steps + t] = mask[i][t] ? 1.0 / n : 0;
            }
        }
        SoftmaxLoss.Result r = scores.backend().softmaxLoss(scores.reshape(n * steps, vocab), labels, weights);
        return new SoftmaxLoss.Result(r.loss(), r.dscores().reshape(scores.shape()));
    }
}
