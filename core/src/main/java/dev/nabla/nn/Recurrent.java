package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/** What the RNN and LSTM cells share: their shape checks, the affine map of (x, prev_h), time-step slicing. */
final class Recurrent {
    private Recurrent() {
    }

    /**
     * Checks x (N, D), prevH (N, H), wx (D, gates*H), wh (H, gates*H), b (gates*H); {@code xName}
     * and {@code xShape} let a sequence layer report its own (N, T, D) input.
     */
    static void checkParams(String where, String xName, Shape xShape, int n, int d, String hName, Tensor h,
                            Tensor wx, Tensor wh, Tensor b, int gates) {
        Check.rank(where, hName, h, 2, "(N, H)");
        Check.rank(where, "wx", wx, 2, "(D, " + (gates == 1 ? "" : gates) + "H)");
        Check.rank(where, "wh", wh, 2, "(H, " + (gates == 1 ? "" : gates) + "H)");
        Check.rank(where, "b", b, 1, "(" + (gates == 1 ? "" : gates) + "H)");
        int hid = h.shape().dim(1);
        Check.that(h.shape().dim(0) == n, where, hName + " has shape " + h.shape() + " but " + xName + " has shape "
                + xShape + ": both need the same batch size N");
        Check.that(wx.shape().dim(0) == d && wx.shape().dim(1) == gates * hid, where, "wx has shape " + wx.shape()
                + " but " + xName + " has shape " + xShape + " and " + hName + " " + h.shape() + ": wx needs shape ("
                + d + ", " + gates * hid + ")");
        Check.that(wh.shape().dim(0) == hid && wh.shape().dim(1) == gates * hid, where, "wh has shape "
                + wh.shape() + " but " + hName + " has shape " + h.shape() + ": wh needs shape (" + hid + ", "
                + gates * hid + ")");
        Check.that(b.shape().dim(0) == gates * hid, where, "b has shape " + b.shape() + " but " + hName
                + " has shape " + h.shape() + ": b needs " + gates * hid + " entries");
    }

    /** Checks a cell's inputs: x (N, D) and the parameters. */
    static void checkStep(String where, Tensor x, Tensor prevH, Tensor wx, Tensor wh, Tensor b, int gates) {
        Check.sameOwner(where, new String[] {"x", "prev_h", "wx", "wh", "b"}, x, prevH, wx, wh, b);
        Check.rank(where, "x", x, 2, "(N, D)");
        checkParams(where, "x", x.shape(), x.shape().dim(0), x.shape().dim(1), "prev_h", prevH, wx, wh, b, gates);
    }

    /** Checks a sequence layer's inputs: x (N, T, D), h0 (N, H) and the parameters. */
    static void checkSequence(String where, Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b, int gates) {
        Check.sameOwner(where, new String[] {"x", "h0", "wx", "wh", "b"}, x, h0, wx, wh, b);
        Check.rank(where, "x", x, 3, "(N, T, D)");
        Check.that(x.shape().dim(1) > 0, where, "x has shape " + x.shape() + ": a sequence needs T >= 1 steps");
        checkParams(where, "x", x.shape(), x.shape().dim(0), x.shape().dim(2), "h0", h0, wx, wh, b, gates);
    }

    /** Fails unless the upstream gradient {@code name} has the shape of the forward output it belongs to. */
    static void checkGradient(String where, String name, Tensor grad, Tensor out) {
        Check.sameOwner(where, new String[] {name, "the forward output"}, grad, out);
        Check.that(grad.shape().equals(out.shape()), where, name + " has shape " + grad.shape()
                + " but the forward output had shape " + out.shape());
    }

    /** {@code x Wx + prevH Wh + b}. */
    static Tensor preActivation(Tensor x, Tensor prevH, Tensor wx, Tensor wh, Tensor b) {
        Backend be = x.backend();
        Tensor a = be.matmul(x, false, wx, false);
        a.addScaled(1, be.matmul(prevH, false, wh, false));
        return be.addRowVector(a, b);
    }

    /** The gradients of {@link #preActivation} for the upstream gradient {@code da}. */
    static RnnStep.Grads preActivationBackward(Tensor da, Tensor x, Tensor prevH, Tensor wx, Tensor wh) {
        Backend be = da.backend();
        return new RnnStep.Grads(be.matmul(da, false, wx, true), be.matmul(da, false, wh, true),
                be.matmul(x, true, da, false), be.matmul(prevH, true, da, false), be.sumRows(da));
    }

    /** Time step t of a sequence (N, T, F): a copy of shape (N, F). */
    static Tensor timeStep(Tensor seq, int t) {
        Shape s = seq.shape();
        int f = s.dim(2);
        return seq.backend().columns(seq.reshape(s.dim(0), s.dim(1) * f), t * f, (t + 1) * f);
    }

    /** Writes {@code step} (N, F) into time step t of the sequence (N, T, F). */
    static void setTimeStep(Tensor seq, int t, Tensor step) {
        Shape s = seq.shape();
        seq.backend().setColumns(seq.reshape(s.dim(0), s.dim(1) * s.dim(2)), t * s.dim(2), step);
    }

    /** Sums the per-step gradients of a sequence layer's backward pass, from the last step to the first. */
    static final class Accumulator {
        final Tensor dx;
        final Tensor dwx;
        final Tensor dwh;
        final Tensor db;

        Accumulator(Shape xShape, Tensor wx, Tensor wh) {
            Backend be = wx.backend();
            dx = be.zeros(wx.dtype(), xShape);
            dwx = be.zeros(wx.dtype(), wx.shape());
            dwh = be.zeros(wx.dtype(), wh.shape());
            db = be.zeros(wx.dtype(), Shape.of(wx.shape().dim(1)));
        }

        void add(int t, Tensor dxT, Tensor dwxT, Tensor dwhT, Tensor dbT) {
            setTimeStep(dx, t, dxT);
            dwx.addScaled(1, dwxT);
            dwh.addScaled(1, dwhT);
            db.addScaled(1, dbT);
        }
    }
}
