package dev.nabla.nd4j;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recycles the native buffers of large arrays, so that a training loop's activations and gradients
 * reuse memory instead of asking libnd4j for new buffers every step.
 *
 * <p>Why: a new libnd4j buffer is {@code malloc}ed and then zeroed; for a few megabytes that means
 * fresh pages, so the kernel maps and clears every page on first touch. Measured here (perf), a
 * 3.7 MB {@code Nd4j.createUninitialized} + close took 2-5 ms, nearly all of it in page faults and
 * that memset, where wrapping an existing buffer took 0.07 ms; the digit CNN's step makes about ten
 * arrays of that size.
 *
 * <p>How: {@link #take} hands out an array over a free buffer of exactly that type and length, or a
 * new one, together with a {@link Lease}. The tensor that owns the array holds the lease (its
 * reshapes share it). When the lease becomes unreachable (the garbage collector, which the backend
 * requests after enough new tensors) or the tensor is closed, the buffer returns to the free list.
 * Free buffers are kept up to {@code capBytes} in all; beyond that the least recently used sizes are
 * freed. Buffers under {@code minBytes} are not pooled: malloc serves them cheaply.
 *
 * <p>Contents of a taken buffer are arbitrary (the previous tensor's values): callers either let an
 * op write every element or zero it. Thread-safe: leases are released from the cleaner's thread.
 */
final class BufferPool {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long minBytes;
    private final long capBytes;
    /** Free buffers by (type, length), least recently used first. */
    private final LinkedHashMap<Key, ArrayDeque<DataBuffer>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long freeBytes;
    private long hits;
    private long misses;

    private record Key(DataType type, long length) {
    }

    /** A pool that keeps up to {@code capBytes} of free buffers of at least {@code minBytes} each. */
    BufferPool(long minBytes, long capBytes) {
        this.minBytes = minBytes;
        this.capBytes = capBytes;
    }

    /**
     * The claim of one tensor (and its reshapes) on a pooled buffer: when it is released, explicitly
     * or by becoming unreachable, the buffer goes back to the pool.
     */
    static final class Lease {
        private final Cleaner.Cleanable cleanable;

        private Lease(BufferPool pool, DataBuffer buffer) {
            // The action must not reference the lease, or the lease would never become unreachable.
            this.cleanable = CLEANER.register(this, new Release(pool, buffer));
        }

        /** Returns the buffer now; later calls and the cleaner do nothing. */
        void release() {
            cleanable.clean();
        }
    }

    private record Release(BufferPool pool, DataBuffer buffer, AtomicBoolean done) implements Runnable {
        Release(BufferPool pool, DataBuffer buffer) {
            this(pool, buffer, new AtomicBoolean());
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                pool.give(buffer);
            }
        }
    }

    /**
     * An array, the lease that keeps its buffer (null when the array is not pooled), and whether the
     * buffer was reused from the free list (false: newly allocated).
     */
    record Taken(INDArray array, Lease lease, boolean reused) {
    }

    /** A c-order array of this type and shape, contents arbitrary; pooled when large enough. */
    Taken take(DataType type, long[] shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        if (length * type.width() < minBytes) {
            return new Taken(Nd4j.createUninitialized(type, shape, 'c'), null, false);
        }
        DataBuffer buffer = poll(new Key(type, length));
        INDArray array = buffer != null ? Nd4j.create(buffer, shape) : Nd4j.createUninitialized(type, shape, 'c');
        return new Taken(array, new Lease(this, array.data()), buffer != null);
    }

    private synchronized DataBuffer poll(Key key) {
        ArrayDeque<DataBuffer> list = free.get(key);
        DataBuffer b = list == null ? null : list.pollLast();
        if (b == null) {
            misses++;
            return null;
        }
        hits++;
        freeBytes -= key.length() * key.type().width();
        return b;
    }

    /** Takes a buffer back; beyond the cap, the least recently used free buffers are freed. */
    private void give(DataBuffer buffer) {
        Key key = new Key(buffer.dataType(), buffer.length());
        long bytes = key.length() * key.type().width();
        if (bytes > capBytes) {
            buffer.close();
            return;
        }
        ArrayDeque<DataBuffer> evicted = new ArrayDeque<>();
        synchronized (this) {
            free.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(buffer);
            freeBytes += bytes;
            Iterator<Map.Entry<Key, ArrayDeque<DataBuffer>>> it = free.entrySet().iterator();
            while (freeBytes > capBytes && it.hasNext()) {
                Map.Entry<Key, ArrayDeque<DataBuffer>> e = it.next();
                while (freeBytes > capBytes && !e.getValue().isEmpty()) {
                    evicted.add(e.getValue().pollFirst());
                    freeBytes -= e.getKey().length() * e.getKey().type().width();
                }
                if (e.getValue().isEmpty()) {
                    it.remove();
                }
            }
        }
        evicted.forEach(DataBuffer::close);
    }

    /** Takes and returns requests served from the free list so far, for diagnostics. */
    synchronized String stats() {
        return "hits=" + hits + " misses=" + misses + " freeMB=" + (freeBytes >> 20);
    }
}
