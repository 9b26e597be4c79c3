package dev.nabla.train;

import java.util.Iterator;

/**
 * A data set visited once per epoch in minibatches, as PyTorch's {@code DataLoader}: {@link #epoch}
 * gives that epoch's batches (a training loader reshuffles and re-augments per epoch). An iterator
 * that is also {@link AutoCloseable} (background decoding threads) is closed by whoever runs it.
 */
@FunctionalInterface
public interface BatchSource {
    /** The batches of epoch {@code epoch} (1-based). */
    Iterator<Batch> epoch(int epoch);
}
