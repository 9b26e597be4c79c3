package dev.nabla.bench;

import dev.nabla.Tensor;
import dev.nabla.module.Classifier;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.train.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The course's MLP and CNN chained by hand, layer contract by layer contract, as they were written before the
 * module API: the reference that W3 and W4, built from modules, are timed against ({@code W3_CHAINED},
 * {@code W4_CHAINED}). It shares the module network's parameter tensors, so both compute the same numbers.
 */
final class HandChained implements Model {
    private final Map<String, Tensor> params;
    private final boolean conv;

    /** The hand-written chain over the parameters of {@code net} (a TwoLayerNet, or a ConvNet when {@code conv}). */
    HandChained(Classifier net, boolean conv) {
        this.params = net.params();
        this.conv = conv;
    }

    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    @Override
    public Tensor scores(Tensor x) {
        throw new UnsupportedOperationException("the reference chain is timed only through loss()");
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        Map<String, Tensor> grads = new LinkedHashMap<>();
        Tensor h = x;
        Forward<Conv2d.Cache> c = null;
        Forward<ReLU.Cache> r0 = null;
        Forward<MaxPool2d.Cache> pool = null;
        if (conv) {
            c = Conv2d.forward(x, params.get("conv.weight"), params.get("conv.bias"));
            r0 = ReLU.forward(c.out());
            pool = MaxPool2d.forward(r0.out(), MaxPool2d.Spec.TWO_BY_TWO);
            h = pool.out();
        }
        Forward<Affine.Cache> fc1 = Affine.forward(h, params.get("fc1.weight"), params.get("fc1.bias"));
        Forward<ReLU.Cache> r1 = ReLU.forward(fc1.out());
        Forward<Affine.Cache> fc2 = Affine.forward(r1.out(), params.get("fc2.weight"), params.get("fc2.bias"));
        SoftmaxLoss.Result data = SoftmaxLoss.forwardBackward(fc2.out(), y);
        Affine.Grads g2 = Affine.backward(data.dscores(), fc2.cache());
        Affine.Grads g1 = Affine.backward(ReLU.backward(g2.dx(), r1.cache()), fc1.cache());
        if (conv) {
            Conv2d.Grads g0 = Conv2d.backward(ReLU.backward(MaxPool2d.backward(g1.dx(), pool.cache()), r0.cache()),
                    c.cache());
            grads.put("conv.weight", g0.dw());
            grads.put("conv.bias", g0.db());
        }
        grads.put("fc1.weight", g1.dw());
        grads.put("fc1.bias", g1.db());
        grads.put("fc2.weight", g2.dw());
        grads.put("fc2.bias", g2.db());
        return new Loss(data.loss(), grads);
    }
}
