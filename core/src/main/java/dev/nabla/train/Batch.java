package dev.nabla.train;

import dev.nabla.Shape;
import java.util.Arrays;

/** A labelled minibatch as a data loader hands it out: values row-major in {@code x}, shaped {@code shape} (N, ...). */
public record Batch(float[] x, Shape shape, int[] y) {
    /** Checks that values, shape and labels agree. */
    public Batch {
        if (shape.rank() < 1 || shape.dim(0) != y.length || shape.size() != x.length) {
            throw new IllegalArgumentException("Batch: " + x.length + " values and " + y.length + " labels cannot make"
                    + " a batch of shape " + shape + " (labels " + Arrays.toString(Arrays.copyOf(y, Math.min(4, y.length)))
                    + "...)");
        }
    }

    /** Number of samples. */
    public int size() {
        return y.length;
    }
}
