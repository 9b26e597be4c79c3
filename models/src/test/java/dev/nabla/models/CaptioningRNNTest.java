package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.check.GradientCheck;
import dev.nabla.train.Model;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The captioning network's loss against numeric gradients of every parameter, on a tiny model in FLOAT64.
 *
 * <p>The bound is the course's 1e-6 for whole models, not the autograder's 1e-7 for single layers: the
 * centered difference of a whole loss has an absolute error near 1e-11, and a few gradient entries
 * here are near 1e-5, which reads as 1e-7 to 1e-6 relative. The layers are each checked at 1e-7.
 */
class CaptioningRNNTest {
    private static final Backend CPU = Backends.get("cpu");

    @ParameterizedTest
    @EnumSource(CaptioningRNN.Cell.class)
    void everyParameterGradientMatchesNumericGradient(CaptioningRNN.Cell cell) {
        CaptioningRNN model = new CaptioningRNN(CPU, DType.FLOAT64,
                new CaptioningRNN.Config(5, 4, 6, 8, cell, 0), 7);
        Random rng = new Random(11);
        for (Map.Entry<String, Tensor> e : model.params().entrySet()) {
            // Larger than the initial scale, word vectors most, so that no gradient entry is all but 0: the
            // numeric gradient's absolute error, about 1e-11, would be a large relative error there.
            double scale = e.getKey().equals("W_embed") ? 1 : 0.3;
            e.getValue().assign(Tensors.randn(CPU, DType.FLOAT64, rng, scale, e.getValue().shape().dims()));
        }
        Tensor features = Tensors.randn(CPU, DType.FLOAT64, rng, 1, 2, 5);
        // <START>=1 ... with <NULL>=0 padding at the end of the second caption: those targets are masked.
        int[][] captions = {{1, 3, 4, 2, 5}, {1, 6, 2, 0, 0}};
        Model.Loss loss = model.loss(features, captions);
        for (Map.Entry<String, Tensor> e : model.params().entrySet()) {
            double[] numeric = GradientCheck.numericGradient(() -> model.loss(features, captions).value(), e.getValue(),
                    GradientCheck.H);
            double err = GradientCheck.relError(loss.grads().get(e.getKey()).toDoubleArray(), numeric);
            assertTrue(err < 1e-6, cell + " " + e.getKey() + ": rel error " + err);
        }
    }

    @ParameterizedTest
    @EnumSource(CaptioningRNN.Cell.class)
    void anUntrainedModelScoresAboutLogVPerWord(CaptioningRNN.Cell cell) {
        // Small initial weights give nearly uniform scores: about log V per unmasked word, 4 + 2 words over N = 2.
        CaptioningRNN model = new CaptioningRNN(CPU, DType.FLOAT64,
                new CaptioningRNN.Config(5, 4, 6, 8, cell, 0), 7);
        for (Tensor p : model.params().values()) {
            p.scale(0);
        }
        Tensor features = Tensors.randn(CPU, DType.FLOAT64, new Random(1), 1, 2, 5);
        double loss = model.loss(features, new int[][] {{1, 3, 4, 2, 5}, {1, 6, 2, 0, 0}}).value();
        assertEquals(6 * Math.log(8) / 2, loss, 1e-12);
    }
}
