package dev.nabla.nn;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;

/**
 * One step of an LSTM, in the course's form.
 *
 * <p>x is (N, D), prev_h and prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H). With
 * {@code a = x Wx + prev_h Wh + b} split into four H-wide column blocks in the order i, f, o, g:
 * {@code i = sigmoid(a_i)}, {@code f = sigmoid(a_f)}, {@code o = sigmoid(a_o)}, {@code g = tanh(a_g)},
 * {@code next_c = f * prev_c + i * g}, {@code next_h = o * tanh(next_c)}.
 *
 * <p>Backward: {@code dc = dnext_c + dnext_h * o * (1 - tanh(next_c)^2)}; then
 * {@code di = dc * g}, {@code df = dc * prev_c}, {@code do = dnext_h * tanh(next_c)},
 * {@code dg = dc * i}, {@code dprev_c = dc * f}; each goes back through its sigmoid or tanh into its
 * block of da, and da through the affine map as in {@link RnnStep}.
 */
public final class LstmStep {
    private LstmStep() {
    }

    /** What the backward pass needs: inputs, weights, the four gates and {@code tanh(next_c)}. */
    public record Cache(Tensor x, Tensor prevH, Tensor prevC, Tensor wx, Tensor wh, Tensor i, Tensor f, Tensor o,
                        Tensor g, Tensor tanhNextC, Tensor nextH) {
    }

    /** The step's outputs, as in the course's {@code next_h, next_c, cache = lstm_step_forward(...)}. */
    public record Result(Tensor nextH, Tensor nextC, Cache cache) {
    }

    /** Gradients of the loss with respect to x, prev_h, prev_c, Wx, Wh and b. */
    public record Grads(Tensor dx, Tensor dprevH, Tensor dprevC, Tensor dwx, Tensor dwh, Tensor db) {
    }

    /** One LSTM step. */
    public static Result forward(Tensor x, Tensor prevH, Tensor prevC, Tensor wx, Tensor wh, Tensor b) {
        String where = "LstmStep.forward";
        Recurrent.checkStep(where, x, prevH, wx, wh, b, 4);
        Check.sameOwner(where, new String[] {"prev_h", "prev_c"}, prevH, prevC);
        Check.that(prevC.shape().equals(prevH.shape()), where, "prev_c has shape " + prevC.shape()
                + " but prev_h has shape " + prevH.shape() + ": they must match");
        Backend be = x.backend();
        int h = prevH.shape().dim(1);
        Tensor a = Recurrent.preActivation(x, prevH, wx, wh, b);
        Tensor i = be.sigmoid(be.columns(a, 0, h));
        Tensor f = be.sigmoid(be.columns(a, h, 2 * h));
        Tensor o = be.sigmoid(be.columns(a, 2 * h, 3 * h));
        Tensor g = be.tanh(be.columns(a, 3 * h, 4 * h));
        Tensor nextC = be.mul(f, prevC);
        nextC.addScaled(1, be.mul(i, g));
        Tensor tanhC = be.tanh(nextC);
        Tensor nextH = be.mul(o, tanhC);
        return new Result(nextH, nextC, new Cache(x, prevH, prevC, wx, wh, i, f, o, g, tanhC, nextH));
    }

    /** The gradients for the upstream gradients of next_h and next_c (both (N, H)). */
    public static Grads backward(Tensor dnextH, Tensor dnextC, Cache c) {
        String where = "LstmStep.backward";
        Recurrent.checkGradient(where, "dnext_h", dnextH, c.nextH());
        Recurrent.checkGradient(where, "dnext_c", dnextC, c.nextH());
        Backend be = dnextH.backend();
        int h = c.prevH().shape().dim(1);
        Tensor dc = be.tanhBackward(be.mul(dnextH, c.o()), c.tanhNextC());
        dc.addScaled(1, dnextC);
        Tensor da = be.zeros(dnextH.dtype(), Shape.of(dnextH.shape().dim(0), 4 * h));
        be.setColumns(da, 0, be.sigmoidBackward(be.mul(dc, c.g()), c.i()));
        be.setColumns(da, h, be.sigmoidBackward(be.mul(dc, c.prevC()), c.f()));
        be.setColumns(da, 2 * h, be.sigmoidBackward(be.mul(dnextH, c.tanhNextC()), c.o()));
        be.setColumns(da, 3 * h, be.tanhBackward(be.mul(dc, c.i()), c.g()));
        RnnStep.Grads a = Recurrent.preActivationBackward(da, c.x(), c.prevH(), c.wx(), c.wh());
        return new Grads(a.dx(), a.dprevH(), be.mul(dc, c.f()), a.dwx(), a.dwh(), a.db());
    }
}
