package dev.nabla.spark;

import dev.nabla.Tensor;
import dev.nabla.train.Model;
import java.util.Map;

/** A {@link Model} that hands every call to another: the base of the wrappers that add to the training of a model. */
abstract class ForwardingModel implements Model {
    /** The wrapped model. */
    protected final Model model;

    ForwardingModel(Model model) {
        this.model = model;
    }

    @Override
    public Map<String, Tensor> params() {
        return model.params();
    }

    @Override
    public Map<String, Tensor> state() {
        return model.state();
    }

    @Override
    public Tensor scores(Tensor x) {
        return model.scores(x);
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        return model.loss(x, y);
    }
}
