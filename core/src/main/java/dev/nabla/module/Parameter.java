package dev.nabla.module;

import dev.nabla.Tensor;

/**
 * A learnable tensor of a module: its value (updated in place by optimizers), its kind and whether it is
 * trained ({@code requires_grad} in PyTorch). The kind decides regularization: L2 applies to weights only.
 */
public final class Parameter {
    /** What the parameter is, which decides whether weight decay applies. */
    public enum Kind {
        /** A weight of a convolution or linear layer: decayed by L2. */
        WEIGHT,
        /** An additive bias: not decayed. */
        BIAS,
        /** A normalization's scale (batch norm's gamma): not decayed. */
        SCALE,
        /** A normalization's shift (batch norm's beta): not decayed. */
        SHIFT
    }

    private final Tensor value;
    private final Kind kind;
    private boolean trainable = true;

    /** A trainable parameter holding {@code value}. */
    public Parameter(Tensor value, Kind kind) {
        this.value = value;
        this.kind = kind;
    }

    /** The tensor, shared with the module that owns it. */
    public Tensor value() {
        return value;
    }

    /** What the parameter is. */
    public Kind kind() {
        return kind;
    }

    /** Whether L2 regularization (weight decay) applies: weights yes, biases and normalization parameters no. */
    public boolean decays() {
        return kind == Kind.WEIGHT;
    }

    /** Whether training updates this parameter. */
    public boolean trainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes the parameter. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value.shape() + (trainable ? "" : " (frozen)");
    }
}
