package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Forward;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.train.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The course's two-layer softmax network: input -> affine -> ReLU -> affine -> softmax loss,
 * with L2 regularization {@code 0.5 * reg * (|W1|^2 + |W2|^2)} on the weights (not the biases).
 * Parameters: W1 (D, H), b1 (H), W2 (H, C), b2 (C).
 */
public final class TwoLayerNet implements Model {
    /** The network's sizes and training-independent options. */
    public record Config(int inputDim, int hiddenDim, int numClasses, double weightScale, double reg) {
        /** Checks the sizes. */
        public Config {
            if (inputDim < 1 || hiddenDim < 1 || numClasses < 2 || reg < 0) {
                throw new IllegalArgumentException("TwoLayerNet.Config: sizes must be positive, at least 2 classes,"
                        + " reg >= 0; got " + this);
            }
        }
    }

    private final Config config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    /** A freshly initialized network (weights Gaussian per {@link Config#weightScale()}, biases 0). */
    public TwoLayerNet(Backend be, DType dtype, Config config, long seed) {
        this.config = config;
        Random rng = new Random(seed);
        params.put("W1", Init.weights(be, dtype, rng, config.weightScale(), config.inputDim(),
                config.inputDim(), config.hiddenDim()));
        params.put("b1", be.zeros(dtype, Shape.of(config.hiddenDim())));
        params.put("W2", Init.weights(be, dtype, rng, config.weightScale(), config.hiddenDim(),
                config.hiddenDim(), config.numClasses()));
        params.put("b2", be.zeros(dtype, Shape.of(config.numClasses())));
    }

    /** The configuration this network was built with. */
    public Config config() {
        return config;
    }

    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    @Override
    public Tensor scores(Tensor x) {
        Tensor h = ReLU.forward(Affine.forward(x, params.get("W1"), params.get("b1")).out()).out();
        return Affine.forward(h, params.get("W2"), params.get("b2")).out();
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        Forward<Affine.Cache> fc1 = Affine.forward(x, params.get("W1"), params.get("b1"));
        Forward<ReLU.Cache> relu = ReLU.forward(fc1.out());
        Forward<Affine.Cache> fc2 = Affine.forward(relu.out(), params.get("W2"), params.get("b2"));
        SoftmaxLoss.Result data = SoftmaxLoss.forwardBackward(fc2.out(), y);

        Affine.Grads g2 = Affine.backward(data.dscores(), fc2.cache());
        Affine.Grads g1 = Affine.backward(ReLU.backward(g2.dx(), relu.cache()), fc1.cache());
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("W1", g1.dw());
        grads.put("b1", g1.db());
        grads.put("W2", g2.dw());
        grads.put("b2", g2.db());
        double regLoss = Regularization.apply(config.reg(), params, grads, "W1", "W2");
        return new Loss(data.loss() + regLoss, grads);
    }
}
