package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.check.GradientCheck;
import dev.nabla.module.Classifier;
import dev.nabla.module.Dropout;
import dev.nabla.module.Gradients;
import dev.nabla.module.Graph;
import dev.nabla.module.Mode;
import dev.nabla.module.Parameter;
import dev.nabla.nn.Forward;
import dev.nabla.train.Model;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An imported network trains: the MNIST CNN of the shared data, imported in FLOAT64 on its logits, has the
 * numeric gradient of every parameter (all entries of the small tensors, 16 of each large one; relative error
 * below 1e-6) in a training step (batch statistics, dropout on), and with the file's running statistics for the
 * two convolution biases a training step gives no gradient.
 */
class ImportedGradientTest {
    private static final int SAMPLES = 16;
    private static final int[] LABELS = {3, 1, 4, 1};

    private static Graph digitCnn(Backend be) throws IOException {
        return OnnxImporter.load(Reference.ALL.get(3).file(), OnnxImporter.Options.of(be, DType.FLOAT64).logits(true));
    }

    @ParameterizedTest
    @MethodSource("dev.nabla.onnx.Reference#backends")
    void everyParameterHasItsNumericGradient(String backend) throws IOException {
        Backend be = Backends.get(backend);
        Graph g = digitCnn(be);
        Dropout drop = (Dropout) g.children().get("n12_Dropout");
        Classifier model = new Classifier(g, 0);
        Tensor x = Reference.ALL.get(3).input(be, DType.FLOAT64);
        drop.setCalls(0);
        Model.Loss loss = model.loss(x, LABELS);
        assertEquals(12, loss.grads().size(), "weights and biases of 2 convolutions, 2 batch norms and 2 Gemms");
        // The masks restart for every evaluation, so the differences see the mask the backward pass saw.
        List<String> vanishing = check(backend + ", training step", loss.grads(), () -> {
            drop.setCalls(0);
            return model.loss(x, LABELS).value();
        }, model.params());
        // In a training step a convolution's bias straight before a batch norm has gradient 0: the batch mean takes
        // it out. With the file's running statistics it does not; there sum(scores * dY) checks those biases.
        assertEquals(List.of("conv1.bias", "conv2.bias"), vanishing);
        checkWithRunningStatistics(backend, digitCnn(be), x, vanishing);
    }

    /** The gradients of {@code names} with the batch norms on their running statistics (a fresh import's). */
    private static void checkWithRunningStatistics(String backend, Graph g, Tensor x, List<String> names) {
        Tensor dy = Tensors.randn(x.backend(), DType.FLOAT64, new Random(8), 1, 4, 10);
        Forward<?> f = g.forward(Mode.EVAL_GRAD, x);
        Gradients grads = new Gradients();
        g.backward(dy, f.cache(), grads);
        Map<String, Tensor> analytic = new LinkedHashMap<>();
        Map<String, Tensor> biases = new LinkedHashMap<>();
        for (String name : names) {
            Parameter p = g.parameters().get(name);
            analytic.put(name, grads.get(p));
            biases.put(name, p.value());
        }
        double[] up = dy.toDoubleArray();
        assertEquals(List.of(), check(backend + ", running statistics", analytic, () -> dot(g.apply(x), up), biases));
    }

    private static double dot(Tensor a, double[] b) {
        double[] v = a.toDoubleArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i] * b[i];
        }
        return s;
    }

    /**
     * Compares sampled entries of each analytic gradient with centered differences of {@code loss}; returns the
     * parameters whose gradient is 0 everywhere (checked to be 0 numerically too, since a relative error of two
     * roundings checks nothing).
     */
    private static List<String> check(String where, Map<String, Tensor> grads, DoubleSupplier loss,
                                      Map<String, Tensor> params) {
        Random rng = new Random(9);
        double worst = 0;
        List<String> vanishing = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            double[] analytic = grads.get(e.getKey()).toDoubleArray();
            boolean vanishes = java.util.Arrays.stream(analytic).allMatch(v -> Math.abs(v) < 1e-12);
            if (vanishes) {
                vanishing.add(e.getKey());
            }
            int n = analytic.length;
            for (int k = 0; k < (n <= 200 ? n : SAMPLES); k++) {
                int i = n <= 200 ? k : rng.nextInt(n);
                double numeric = numeric(loss, p, i);
                if (vanishes) {
                    assertTrue(Math.abs(numeric) < 1e-9, e.getKey() + "[" + i + "] (" + where + "): analytic 0, numeric "
                            + numeric);
                    continue;
                }
                double err = Math.abs(numeric - analytic[i]) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic[i]));
                worst = Math.max(worst, err);
                assertTrue(err < 1e-6, e.getKey() + "[" + i + "] (" + where + "): analytic " + analytic[i]
                        + ", numeric " + numeric);
            }
        }
        System.out.printf(Locale.ROOT, "imported digit CNN (%s): worst relative gradient error %.2e%n", where, worst);
        return vanishing;
    }

    private static double numeric(DoubleSupplier loss, Tensor p, int i) {
        double old = p.getFlat(i);
        double h = GradientCheck.H;
        p.setFlat(i, old + h);
        double plus = loss.getAsDouble();
        p.setFlat(i, old - h);
        double minus = loss.getAsDouble();
        p.setFlat(i, old);
        return (plus - minus) / (2 * h);
    }
}
