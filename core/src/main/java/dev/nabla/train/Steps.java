package dev.nabla.train;

import java.util.Iterator;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/** The steps of an epoch made from the batches of a loader, one step per batch; closing closes the loader's iterator. */
final class Steps implements Iterator<TrainingLoop.Step>, AutoCloseable {
    private final Iterator<Batch> batches;
    private final Function<Batch, TrainingLoop.Step> step;

    Steps(Iterator<Batch> batches, Function<Batch, TrainingLoop.Step> step) {
        this.batches = batches;
        this.step = step;
    }

    @Override
    public boolean hasNext() {
        return batches.hasNext();
    }

    @Override
    public TrainingLoop.Step next() {
        return step.apply(batches.next());
    }

    @Override
    public void close() {
        close(batches);
    }

    /** Closes {@code it} if it holds resources (a loader's background threads); a failure is logged, not thrown. */
    static void close(Iterator<?> it) {
        if (it instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ex) {
                LoggerFactory.getLogger(Steps.class).warn("closing the data loader failed: {}", ex.toString());
            }
        }
    }
}
