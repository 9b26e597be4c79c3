package dev.nabla.nd4j;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the ND4J backend's native memory is kept in check: a {@link BufferPool} for large results and a budget of
 * new bytes between two requested garbage collections.
 *
 * <p>No ND4J workspace is used: a workspace ties a tensor's life to a scope, which the layer contracts (caches
 * that outlive the forward call) do not have. Results are freed by {@link dev.nabla.Tensor#close()}, or when
 * their arrays are garbage collected.
 *
 * <p>Each ND4J array also holds small native objects that only a garbage collection frees, even after close.
 * The Java heap hardly notices them (an array is a few hundred bytes there), so collections come rarely, and
 * meanwhile the allocator, its free space cut up by these objects, keeps taking new memory: measured here, a
 * small conv loop grew by 900 MB in 10,000 iterations (by 13 MB with this budget). So every array the backend
 * makes is counted, and a collection is requested after every {@link #GC_EVERY_MB_PROPERTY} megabytes (default
 * {@value #DEFAULT_GC_EVERY_MB}; 0 turns it off), as JavaCPP itself does when its own allocations pass a limit.
 *
 * <p>Large results (at least {@value #DEFAULT_POOL_MIN_KB} KB) come from the pool: their buffers are recycled
 * when the tensor is closed or collected, instead of being freed and allocated afresh (a new multi-megabyte
 * buffer costs milliseconds of page faults). Reused buffers count a sixteenth towards the collection budget
 * (new ones fully): reusing them adds no memory and does not fragment the allocator, so collections, each a
 * full {@code System.gc()}, can be rarer. The pool keeps at most {@link #POOL_MB_PROPERTY} megabytes of free
 * buffers (default {@value #DEFAULT_POOL_MB}; 0 turns pooling off).
 */
final class MemoryPolicy {
    /** System property: megabytes of new tensors between two requested garbage collections. */
    static final String GC_EVERY_MB_PROPERTY = "nabla.nd4j.gcEveryMb";
    static final long DEFAULT_GC_EVERY_MB = 64;
    /** System property: megabytes of free buffers the pool may keep (0: no pooling). */
    static final String POOL_MB_PROPERTY = "nabla.nd4j.poolMb";
    static final long DEFAULT_POOL_MB = 512;
    /** Arrays smaller than this are not pooled: malloc serves them cheaply. */
    static final long DEFAULT_POOL_MIN_KB = 64;
    /**
     * Reused pooled bytes count 1/REUSED_WEIGHT towards the collection budget: they add no native memory,
     * but their buffers only come back to the pool through a collection, so they must count a little.
     */
    private static final int REUSED_WEIGHT = 16;
    /** The least an array counts towards the collection budget: its native shape and buffer objects. */
    private static final long MIN_CHARGE = 16 << 10;

    private final long gcEveryBytes = Long.getLong(GC_EVERY_MB_PROPERTY, DEFAULT_GC_EVERY_MB) << 20;
    private final AtomicLong sinceGc = new AtomicLong();
    private final long poolBytes = Long.getLong(POOL_MB_PROPERTY, DEFAULT_POOL_MB) << 20;
    private final BufferPool pool = new BufferPool(poolBytes > 0 ? DEFAULT_POOL_MIN_KB << 10 : Long.MAX_VALUE,
            poolBytes);

    /**
     * A c-order array for a result or a scratch, from the pool when large enough; its contents are
     * arbitrary. Counted towards the next collection, scratch arrays too (each leaves native objects).
     */
    BufferPool.Taken take(DataType type, long... shape) {
        BufferPool.Taken t = pool.take(type, shape);
        countTowardsGc(t.array().length() * type.width(), t.reused());
        return t;
    }

    /** Counts an array an ND4J op made (not from the pool) towards the next collection. */
    void count(INDArray a) {
        countTowardsGc(a.length() * a.dataType().width(), false);
    }

    /** Gives back a scratch array that no tensor holds. */
    void discard(BufferPool.Taken t) {
        if (t.lease() != null) {
            t.lease().release();
        } else {
            t.array().close();
        }
    }

    /** The pool's counters. */
    String stats() {
        return pool.stats();
    }

    /**
     * Counts a new array towards the next requested collection: its bytes when newly allocated, a
     * {@link #REUSED_WEIGHT}th of them when its buffer was reused from the pool, and at least
     * {@link #MIN_CHARGE} for the small native objects every array leaves until a collection, however
     * small the array or whether it is closed.
     */
    private void countTowardsGc(long bytes, boolean reused) {
        long charge = Math.max(MIN_CHARGE, reused ? bytes / REUSED_WEIGHT : bytes);
        if (gcEveryBytes > 0 && sinceGc.addAndGet(charge) > gcEveryBytes) {
            sinceGc.set(0);
            System.gc();
        }
    }
}
