package dev.nabla.nn;

import dev.nabla.Tensor;
import java.util.Arrays;

/**
 * Softmax cross-entropy loss: {@code L = (1/N) sum_n -log softmax(s_n)[y_n]}.
 *
 * <p>Scores are (N, C), labels are N class indices in [0, C). Computed stably by subtracting each
 * row's maximum before exponentiating. Gradient (docs/derivations.md, section 5):
 * {@code dS[n] = (softmax(s_n) - onehot(y_n)) / N}.
 */
public final class SoftmaxLoss {
    private SoftmaxLoss() {
    }

    /** The mean loss and the gradient of the scores. */
    public record Result(double loss, Tensor dscores) {
    }

    /** Loss and gradient in one pass, as in the course's {@code softmax_loss(x, y)}. */
    public static Result forwardBackward(Tensor scores, int[] labels) {
        String where = "SoftmaxLoss";
        Check.rank(where, "scores", scores, 2, "(N, C)");
        int n = scores.shape().dim(0);
        int c = scores.shape().dim(1);
        Check.that(labels.length == n, where, "labels has " + labels.length + " entries but scores has shape "
                + scores.shape() + ": one label per row is needed");
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException(where + ": labels[" + i + "] = " + labels[i]
                        + " is outside [0, " + c + ") for scores of shape " + scores.shape());
            }
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0 / n);
        return scores.backend().softmaxLoss(scores, labels, weights);
    }
}
