package dev.nabla.module;

import dev.nabla.Shape;
import java.util.Arrays;

/**
 * Each sample seen with another shape, the batch axis kept: (N, ...) to (N, d1, ..., dk), as Keras'
 * {@code Reshape} and PyTorch's {@code x.view(x.size(0), d1, ..., dk)}. One of the target dimensions may be -1, the
 * size that makes the element counts agree. A reshape shares memory with its input (no copy), as {@link Flatten}.
 */
public final class Reshape extends View {
    private final int[] target;

    /** The per-sample target shape, batch axis excluded; at most one entry -1, the others positive. */
    public Reshape(int... target) {
        long free = Arrays.stream(target).filter(d -> d == -1).count();
        if (free > 1 || Arrays.stream(target).anyMatch(d -> d == 0 || d < -1)) {
            throw new IllegalArgumentException("Reshape: the target " + Arrays.toString(target) + " may hold one -1"
                    + " and otherwise positive sizes");
        }
        this.target = target.clone();
    }

    /** The per-sample target as given (a -1 kept). */
    public int[] target() {
        return target.clone();
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() < 1) {
            throw mismatch("(N, ...)", x);
        }
        long per = x.rank() == 1 ? 1 : x.sizeFrom(1);
        long known = 1;
        int freeAt = -1;
        int[] dims = new int[target.length + 1];
        dims[0] = x.dim(0);
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                freeAt = i + 1;
            } else {
                known *= target[i];
                dims[i + 1] = target[i];
            }
        }
        if (freeAt > 0 && known > 0 && per % known == 0) {
            dims[freeAt] = (int) (per / known);
            known *= dims[freeAt];
        }
        if (known != per) {
            throw mismatch("(N, ...) with " + (freeAt > 0 ? "a multiple of " : "") + known + " values per sample for "
                    + Arrays.toString(target), x);
        }
        return Shape.of(dims);
    }

    @Override
    public String toString() {
        return "Reshape" + Arrays.toString(target);
    }
}
