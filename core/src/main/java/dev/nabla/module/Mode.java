package dev.nabla.module;

/**
 * How a forward pass runs: with training behaviour or not (batch statistics and dropout, as PyTorch's
 * {@code train()}/{@code eval()} and DJL's {@code training} flag), and whether it keeps what a backward pass
 * needs (PyTorch's grad mode).
 */
public enum Mode {
    /** Training behaviour, caches kept: the forward pass of a training step. */
    TRAIN(true, true),
    /** Training behaviour, no caches: a frozen part of a network during a training step. */
    TRAIN_NO_GRAD(true, false),
    /** Inference behaviour, caches kept: gradients through a network in eval mode (e.g. running batch statistics). */
    EVAL_GRAD(false, true),
    /** Inference behaviour, no caches: prediction. */
    INFER(false, false);

    private final boolean training;
    private final boolean grad;

    Mode(boolean training, boolean grad) {
        this.training = training;
        this.grad = grad;
    }

    /** Whether layers behave as in training: batch norm uses and updates batch statistics, dropout drops. */
    public boolean training() {
        return training;
    }

    /** Whether the forward pass keeps the caches a backward pass needs. */
    public boolean grad() {
        return grad;
    }

    /** Inference behaviour, keeping caches if this mode does. */
    public Mode asEval() {
        return grad ? EVAL_GRAD : INFER;
    }

    /** The same behaviour without caches. */
    public Mode withoutGrad() {
        return training ? TRAIN_NO_GRAD : INFER;
    }
}
