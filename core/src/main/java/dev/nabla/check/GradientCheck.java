package dev.nabla.check;

import dev.nabla.DType;
import dev.nabla.Tensor;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Numeric gradients by centered differences, and the course's relative error.
 *
 * <p>Run in FLOAT64: with h = 1e-5 the truncation error is O(h^2), about 1e-10, and round-off
 * O(eps/h), about 1e-11, so a correct analytic gradient agrees to well below 1e-7.
 */
public final class GradientCheck {
    /** The step used unless another is given. */
    public static final double H = 1e-5;

    private GradientCheck() {
    }

    /** dF/dx for a scalar function F of x, perturbing x in place and restoring it. */
    public static double[] numericGradient(DoubleSupplier f, Tensor x, double h) {
        requireFloat64(x);
        double[] grad = new double[Math.toIntExact(x.size())];
        for (int i = 0; i < grad.length; i++) {
            double old = x.getFlat(i);
            x.setFlat(i, old + h);
            double plus = f.getAsDouble();
            x.setFlat(i, old - h);
            double minus = f.getAsDouble();
            x.setFlat(i, old);
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    /**
     * d(sum(F(x) * dout))/dx for a tensor-valued F: the gradient a layer's backward must return for
     * the upstream gradient {@code dout}.
     */
    public static double[] numericGradient(Supplier<Tensor> f, Tensor x, Tensor dout, double h) {
        double[] up = dout.toDoubleArray();
        return numericGradient(() -> dot(f.get().toDoubleArray(), up), x, h);
    }

    /** The course's relative error: {@code max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)}. */
    public static double relError(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("relError: arrays of length " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double e = Math.abs(a[i] - b[i]) / Math.max(1e-8, Math.abs(a[i]) + Math.abs(b[i]));
            if (Double.isNaN(e)) {
                return Double.NaN; // a NaN anywhere fails the check
            }
            worst = Math.max(worst, e);
        }
        return worst;
    }

    /** Relative error between two tensors of the same shape. */
    public static double relError(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("relError: shapes " + a.shape() + " and " + b.shape() + " differ");
        }
        return relError(a.toDoubleArray(), b.toDoubleArray());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void requireFloat64(Tensor x) {
        if (x.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradient checks need FLOAT64 tensors, got " + x.dtype());
        }
    }
}
