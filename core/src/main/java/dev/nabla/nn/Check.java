package dev.nabla.nn;

import dev.nabla.Tensor;

/** The argument checks every layer contract makes before calling its backend; messages name layer, argument and shapes. */
final class Check {
    private Check() {
    }

    /** Fails unless every tensor belongs to the first one's backend and has its dtype. */
    static void sameOwner(String where, String[] names, Tensor... ts) {
        Tensor first = ts[0];
        for (int i = 1; i < ts.length; i++) {
            if (ts[i].backend() != first.backend()) {
                throw new IllegalArgumentException(where + ": " + names[i] + " belongs to backend '"
                        + ts[i].backend().name() + "' but " + names[0] + " to '" + first.backend().name()
                        + "'; move it explicitly with Tensor.copyTo(backend)");
            }
            if (ts[i].dtype() != first.dtype()) {
                throw new IllegalArgumentException(where + ": " + names[i] + " is " + ts[i].dtype() + " but "
                        + names[0] + " is " + first.dtype() + "; convert it with Tensor.toDType");
            }
        }
    }

    static void rank(String where, String name, Tensor t, int rank, String layout) {
        if (t.shape().rank() != rank) {
            throw new IllegalArgumentException(where + ": " + name + " must be " + rank + "-D " + layout
                    + " but has shape " + t.shape());
        }
    }

    static void that(boolean ok, String where, String message) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + message);
        }
    }
}
