package dev.nabla.train;

import java.util.Random;

/** A random change applied to each training minibatch before it becomes a tensor (never to evaluation data). */
@FunctionalInterface
public interface Augmentation {
    /** Changes the {@code count} samples of {@code sampleShape} in {@code batch} (row-major) in place. */
    void apply(float[] batch, int count, int[] sampleShape, Random rng);
}
