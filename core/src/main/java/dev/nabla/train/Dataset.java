package dev.nabla.train;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import java.util.Arrays;

/**
 * A labelled classification set held in Java memory: {@code count} samples of {@code sampleShape},
 * row-major in {@code x}, with class labels {@code y}. Minibatches are copied out into backend tensors.
 */
public record Dataset(float[] x, int[] sampleShape, int[] y) {
    /** Checks that the sizes agree. */
    public Dataset {
        long per = Shape.of(sampleShape).size();
        if (per == 0 || x.length != per * y.length) {
            throw new IllegalArgumentException("Dataset: " + x.length + " values cannot be " + y.length
                    + " samples of shape " + Arrays.toString(sampleShape));
        }
    }

    /** Number of samples. */
    public int count() {
        return y.length;
    }

    /** Values per sample. */
    public int sampleSize() {
        return x.length / y.length;
    }

    /** The samples {@code order[from..to)} as one tensor of shape (to-from, sampleShape...). */
    public Tensor batch(Backend backend, DType dtype, int[] order, int from, int to) {
        return backend.fromArray(values(order, from, to), dtype, batchShape(to - from));
    }

    /** The values of the samples {@code order[from..to)}, one after the other. */
    public float[] values(int[] order, int from, int to) {
        int per = sampleSize();
        float[] values = new float[(to - from) * per];
        for (int i = from; i < to; i++) {
            System.arraycopy(x, order[i] * per, values, (i - from) * per, per);
        }
        return values;
    }

    /** The shape of a minibatch of {@code count} samples: (count, sampleShape...). */
    public Shape batchShape(int count) {
        int[] dims = new int[sampleShape.length + 1];
        dims[0] = count;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        return Shape.of(dims);
    }

    /** The labels {@code order[from..to)}. */
    public int[] labels(int[] order, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = y[order[i]];
        }
        return out;
    }

    /** The first {@code n} samples (or all, if there are fewer). */
    public Dataset head(int n) {
        int k = Math.min(n, count());
        return new Dataset(Arrays.copyOf(x, k * sampleSize()), sampleShape, Arrays.copyOf(y, k));
    }
}
