package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.train.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The course's convolutional network: conv (F filters K x K, valid) -> ReLU -> 2x2 max pool
 * stride 2 -> affine (hidden) -> ReLU -> affine -> softmax loss, with L2 regularization on the
 * weights. Parameters: W1 (F, C, K, K), b1 (F), W2 (F*PH*PW, hidden), b2, W3 (hidden, classes), b3,
 * where PH = (H-K+1)/2 and PW = (W-K+1)/2.
 */
public final class ConvNet implements Model {
    /** The network's sizes and training-independent options. */
    public record Config(int channels, int height, int width, int numFilters, int filterSize, int hiddenDim,
                         int numClasses, double weightScale, double reg) {
        /** Checks the sizes. */
        public Config {
            if (channels < 1 || numFilters < 1 || filterSize < 1 || hiddenDim < 1 || numClasses < 2 || reg < 0) {
                throw new IllegalArgumentException("ConvNet.Config: sizes must be positive, at least 2 classes,"
                        + " reg >= 0; got " + this);
            }
            if (height - filterSize + 1 < 2 || width - filterSize + 1 < 2) {
                throw new IllegalArgumentException("ConvNet.Config: a " + filterSize + "x" + filterSize
                        + " filter leaves nothing to pool in a " + height + "x" + width + " image");
            }
        }

        /** Values per sample entering the hidden affine layer: F * PH * PW. */
        public int pooledSize() {
            return numFilters * ((height - filterSize + 1) / 2) * ((width - filterSize + 1) / 2);
        }
    }

    private final Config config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    /** A freshly initialized network (weights Gaussian per {@link Config#weightScale()}, biases 0). */
    public ConvNet(Backend be, DType dtype, Config c, long seed) {
        this.config = c;
        Random rng = new Random(seed);
        int k = c.filterSize();
        params.put("W1", Init.weights(be, dtype, rng, c.weightScale(), c.channels() * k * k,
                c.numFilters(), c.channels(), k, k));
        params.put("b1", be.zeros(dtype, Shape.of(c.numFilters())));
        params.put("W2", Init.weights(be, dtype, rng, c.weightScale(), c.pooledSize(), c.pooledSize(), c.hiddenDim()));
        params.put("b2", be.zeros(dtype, Shape.of(c.hiddenDim())));
        params.put("W3", Init.weights(be, dtype, rng, c.weightScale(), c.hiddenDim(), c.hiddenDim(), c.numClasses()));
        params.put("b3", be.zeros(dtype, Shape.of(c.numClasses())));
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
        Tensor h = ReLU.forward(Conv2d.forward(x, params.get("W1"), params.get("b1")).out()).out();
        h = MaxPool2d.forward(h, MaxPool2d.Spec.TWO_BY_TWO).out();
        h = ReLU.forward(Affine.forward(h, params.get("W2"), params.get("b2")).out()).out();
        return Affine.forward(h, params.get("W3"), params.get("b3")).out();
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        Forward<Conv2d.Cache> conv = Conv2d.forward(x, params.get("W1"), params.get("b1"));
        Forward<ReLU.Cache> relu1 = ReLU.forward(conv.out());
        Forward<MaxPool2d.Cache> pool = MaxPool2d.forward(relu1.out(), MaxPool2d.Spec.TWO_BY_TWO);
        Forward<Affine.Cache> fc2 = Affine.forward(pool.out(), params.get("W2"), params.get("b2"));
        Forward<ReLU.Cache> relu2 = ReLU.forward(fc2.out());
        Forward<Affine.Cache> fc3 = Affine.forward(relu2.out(), params.get("W3"), params.get("b3"));
        SoftmaxLoss.Result data = SoftmaxLoss.forwardBackward(fc3.out(), y);

        Affine.Grads g3 = Affine.backward(data.dscores(), fc3.cache());
        Affine.Grads g2 = Affine.backward(ReLU.backward(g3.dx(), relu2.cache()), fc2.cache());
        Tensor dRelu1 = MaxPool2d.backward(g2.dx(), pool.cache());
        Conv2d.Grads g1 = Conv2d.backward(ReLU.backward(dRelu1, relu1.cache()), conv.cache());
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("W1", g1.dw());
        grads.put("b1", g1.db());
        grads.put("W2", g2.dw());
        grads.put("b2", g2.db());
        grads.put("W3", g3.dw());
        grads.put("b3", g3.db());
        double regLoss = Regularization.apply(config.reg(), params, grads, "W1", "W2", "W3");
        return new Loss(data.loss() + regLoss, grads);
    }
}
