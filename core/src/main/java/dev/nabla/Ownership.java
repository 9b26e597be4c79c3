package dev.nabla;

/**
 * The checks a backend makes on tensors handed to its kernels and in-place methods: the tensor must
 * be its own (a foreign one is rejected, never misread), and match the reference in dtype and,
 * where asked, in shape. Shared by every backend so the messages read the same.
 */
public final class Ownership {
    private Ownership() {
    }

    /** {@code t} as {@code owner}'s tensor class, or an error naming both backends. */
    public static <T extends Tensor> T own(Backend owner, Class<T> type, Tensor t) {
        if (type.isInstance(t) && t.backend() == owner) {
            return type.cast(t);
        }
        throw new IllegalArgumentException(owner.name() + " backend: got a tensor of backend '"
                + t.backend().name() + "'; move it explicitly with Tensor.copyTo(backend)");
    }

    /** {@code other} as the owner's tensor, checked to match {@code ref} in dtype, and in shape if asked. */
    public static <T extends Tensor> T same(String op, T ref, Class<T> type, Tensor other, boolean sameShape) {
        T o = own(ref.backend(), type, other);
        if (o.dtype() != ref.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ, " + ref.dtype() + " and " + o.dtype());
        }
        if (sameShape && !o.shape().equals(ref.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ, " + ref.shape() + " and " + o.shape());
        }
        return o;
    }
}
