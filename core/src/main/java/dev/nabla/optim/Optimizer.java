package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An update rule with per-parameter state, as the course's {@code optim.py}: each call
 * {@link #update} moves one parameter in place using its gradient and that parameter's own state
 * (velocity, squared-gradient cache, moments), kept here under the parameter's name.
 */
public abstract class Optimizer {
    private double learningRate;
    private final Map<String, State> state = new HashMap<>();
    private final Map<String, Double> scales = new HashMap<>();

    /** An optimizer with the given learning rate. */
    protected Optimizer(double learningRate) {
        setLearningRate(learningRate);
    }

    /** The update rule named as in the course: {@code sgd}, {@code sgd_momentum}, {@code rmsprop}, {@code adam}, with its defaults. */
    public static Optimizer named(String rule, double learningRate) {
        return switch (rule.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(learningRate);
            case "sgd_momentum" -> new SgdMomentum(learningRate, SgdMomentum.DEFAULT_MOMENTUM);
            case "rmsprop" -> new RmsProp(learningRate, RmsProp.DEFAULT_DECAY, RmsProp.DEFAULT_EPS);
            case "adam" -> new Adam(learningRate, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS);
            default -> throw new IllegalArgumentException("Unknown update rule '" + rule
                    + "'; choose sgd, sgd_momentum, rmsprop or adam");
        };
    }

    /** The current learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Changes the learning rate (the Solver decays it once per epoch). */
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /**
     * Gives parameter {@code name} the learning rate times {@code factor} (PyTorch's parameter groups
     * with their own lr; decay and steps still scale every parameter alike).
     */
    public void setLearningRateScale(String name, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("learning-rate scale of '" + name + "' must be a positive number, got "
                    + factor);
        }
        scales.put(name, factor);
    }

    /** The learning rate of the parameter whose state is {@code s}. */
    protected final double learningRate(State s) {
        return learningRate * s.lrScale;
    }

    /** Updates {@code w} in place from its gradient {@code dw}; {@code name} identifies the parameter's state. */
    public final void update(String name, Tensor w, Tensor dw) {
        if (!w.shape().equals(dw.shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".update: gradient of '" + name
                    + "' has shape " + dw.shape() + " but the parameter has shape " + w.shape());
        }
        State s = state.computeIfAbsent(name, k -> new State(newState(w)));
        s.steps++;
        s.lrScale = scales.getOrDefault(name, 1.0);
        step(w, dw, s);
    }

    /** One parameter's saved state: the rule's tensors (the optimizer's own, not copies) and its update count. */
    public record Saved(Tensor[] tensors, long steps) {
    }

    /** Every parameter's state by name, for a checkpoint; parameters not updated yet have none. */
    public final Map<String, Saved> saveState() {
        Map<String, Saved> out = new java.util.TreeMap<>();
        state.forEach((k, s) -> out.put(k, new Saved(s.tensors, s.steps)));
        return out;
    }

    /** Sets parameter {@code name}'s state to these tensors (taken over) and update count, as a checkpoint held them. */
    public final void restoreState(String name, Tensor[] tensors, long steps) {
        State s = new State(tensors);
        s.steps = steps;
        state.put(name, s);
    }

    /**
     * The live state tensors of parameter {@code name} (velocity, moments), empty before its first update:
     * data-parallel replicas that average their optimizer state write into them.
     */
    public final Tensor[] stateTensors(String name) {
        State s = state.get(name);
        return s == null ? new Tensor[0] : s.tensors;
    }

    /** One parameter's state: the rule's tensors and how many updates the parameter has had. */
    protected static final class State {
        /** The tensors made by {@link #newState}. */
        public final Tensor[] tensors;
        /** Updates so far, counting the current one (Adam's t). */
        public long steps;
        /** This parameter's factor on the learning rate. */
        double lrScale = 1;

        State(Tensor[] tensors) {
            this.tensors = tensors;
        }
    }

    /** The per-parameter state tensors, created zero-filled like {@code w} on its first update. */
    protected abstract Tensor[] newState(Tensor w);

    /** One step of the rule on one parameter. */
    protected abstract void step(Tensor w, Tensor dw, State state);

    /** Zero tensors shaped like {@code w}. */
    protected static Tensor[] zerosLike(Tensor w, int count) {
        Tensor[] t = new Tensor[count];
        for (int i = 0; i < count; i++) {
            t[i] = w.backend().zeros(w.dtype(), w.shape());
        }
        return t;
    }
}
