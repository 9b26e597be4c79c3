package dev.nabla;

/** Element type of a {@link Tensor}: FLOAT32 for training, FLOAT64 for gradient checks and references. */
public enum DType {
    FLOAT32,
    FLOAT64
}
