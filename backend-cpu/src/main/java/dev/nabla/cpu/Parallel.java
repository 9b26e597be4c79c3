package dev.nabla.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;

/**
 * A fixed pool of threads, and a parallel-for over index ranges.
 *
 * <p>Work is cut into at most {@link #splits()} contiguous chunks, so each chunk can allocate its scratch
 * buffers once and reuse them for every item in it; the calling thread runs the first chunk itself. The
 * chunks, and so the order in which partial sums are added, depend on the splits alone: a pool with fewer
 * threads than splits (one Spark task among several on a machine) runs the same chunks, some one after the
 * other, and computes the same bits as the pool with a thread per split.
 */
final class Parallel {
    /** Body of a parallel loop over the half-open range [from, to). */
    interface Chunk {
        void run(int from, int to);
    }

    /** Set while a chunk runs as if on a pool thread, whose nested loops run inline. */
    private static final ThreadLocal<Boolean> IN_CHUNK = ThreadLocal.withInitial(() -> false);

    private final int splits;
    private final int workers;
    private final ExecutorService pool;

    /** One thread per split. */
    Parallel(int threads) {
        this(threads, threads);
    }

    /** {@code threads} threads running work cut as for {@code splits} (at least {@code threads}). */
    Parallel(int threads, int splits) {
        int t = Math.max(1, threads);
        this.splits = Math.max(t, splits);
        // With a thread per split the pool is as it always was; with fewer, the caller is one of the threads.
        this.workers = this.splits == t ? t : t - 1;
        this.pool = workers == 0 ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread th = new Thread(r, "nabla-cpu");
            th.setDaemon(true);
            return th;
        });
    }

    /** How many chunks the work is cut into at most. */
    int splits() {
        return splits;
    }

    /**
     * Runs {@code body} over [0, n) in up to {@link #splits()} chunks; with fewer than
     * {@code minPerChunk} items per chunk it uses fewer chunks, down to running inline.
     */
    void forRange(int n, int minPerChunk, Chunk body) {
        int chunks = Math.min(splits, Math.max(1, n / Math.max(1, minPerChunk)));
        if (chunks <= 1 || IN_CHUNK.get() || Thread.currentThread().getName().equals("nabla-cpu")) {
            body.run(0, n);
            return;
        }
        // Chunk 0 is the caller's; the others go to whichever thread claims them first (the caller too, once its
        // own is done), each run as on a pool thread. Who runs a chunk never changes what it computes.
        AtomicInteger next = new AtomicInteger(1);
        Runnable claim = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                asPoolChunk(body, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
        };
        int helpers = pool == null ? 0 : Math.min(chunks - 1, workers);
        Future<?>[] futures = new Future<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            futures[h] = pool.submit(claim);
        }
        body.run(0, (int) ((long) n / chunks));
        claim.run();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel chunk", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private static void asPoolChunk(Chunk body, int from, int to) {
        boolean outer = IN_CHUNK.get();
        IN_CHUNK.set(true);
        try {
            body.run(from, to);
        } finally {
            IN_CHUNK.set(outer);
        }
    }
}
