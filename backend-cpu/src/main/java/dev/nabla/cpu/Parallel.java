package dev.nabla.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * A fixed pool with one thread per core, and a parallel-for over index ranges.
 *
 * <p>Work is cut into at most one contiguous chunk per thread, so each chunk can allocate its scratch
 * buffers once and reuse them for every item in it; the calling thread runs the first chunk itself.
 */
final class Parallel {
    /** Body of a parallel loop over the half-open range [from, to). */
    interface Chunk {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "nabla-cpu");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n) in up to {@link #threads()} chunks; with fewer than
     * {@code minPerChunk} items per chunk it uses fewer chunks, down to running inline.
     */
    void forRange(int n, int minPerChunk, Chunk body) {
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minPerChunk)));
        if (chunks <= 1 || Thread.currentThread().getName().equals("nabla-cpu")) {
            body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            futures[c - 1] = pool.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) n / chunks));
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
}
