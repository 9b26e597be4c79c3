package dev.nabla.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Runs code that throws checked exceptions inside Spark's functions, which may throw none. */
final class Unchecked {
    private Unchecked() {
    }

    /** The value of {@code body}; an IOException comes back unchecked, other checked ones as their cause. */
    static <T> T call(Callable<T> body) {
        try {
            return body.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
