package dev.nabla;

import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Lstm;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.SoftmaxLoss;

/**
 * A compute backend: it owns tensor memory and implements the kernels the layers of
 * {@link dev.nabla.nn} are built from.
 *
 * <p>The kernel methods are the narrow contract a backend fulfils. They are called by the layer
 * classes after those have checked shapes, dtypes and ownership, so a kernel may assume valid,
 * same-backend, same-dtype arguments. Application code calls the layers, not the kernels. Obtain a
 * backend with {@link Backends#get()}.
 */
public interface Backend {

    /** The name users select this backend by ({@code cpu}, {@code nd4j}). */
    String name();

    /** A new tensor of zeros. */
    Tensor zeros(DType dtype, Shape shape);

    /** A new tensor holding a copy of {@code values} (row-major), converted to {@code dtype}. */
    Tensor fromArray(double[] values, DType dtype, Shape shape);

    /** A new tensor holding a copy of {@code values} (row-major), converted to {@code dtype}. */
    Tensor fromArray(float[] values, DType dtype, Shape shape);

    /** What a forward kernel returns: the output and whatever the backend keeps for the backward pass. */
    record Saved(Tensor out, Object state) {
    }

    /**
     * Matrix product of 2-D tensors, {@code op(a) . op(b)} where op transposes when asked; shapes that do not
     * multiply fail as {@link Shape#product} says.
     */
    Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB);

    /** {@code m + v} with the vector {@code v} (M) added to every row of {@code m} (N, M); a new tensor. */
    Tensor addRowVector(Tensor m, Tensor v);

    /** Column sums of {@code m} (N, M): a tensor of shape (M). */
    Tensor sumRows(Tensor m);

    /** Convolution forward; see {@link Conv2d} for the layout and formula. */
    Saved conv2dForward(Tensor x, Tensor w, Tensor b, Conv2d.Spec spec);

    /** Convolution backward from the forward's inputs and saved state. */
    Conv2d.Grads conv2dBackward(Tensor dout, Tensor x, Tensor w, Conv2d.Spec spec, Object state);

    /** Max pooling forward; see {@link MaxPool2d}. */
    Saved maxPool2dForward(Tensor x, MaxPool2d.Spec spec);

    /** Max pooling backward: the gradient of x. */
    Tensor maxPool2dBackward(Tensor dout, Tensor x, MaxPool2d.Spec spec, Object state);

    /**
     * Softmax cross-entropy of {@code scores} (N, C) against class indices, weighted per row:
     * {@code sum_n weights[n] * -log softmax(s_n)[y_n]}, and its gradient, row n scaled by {@code weights[n]}
     * (1/N for a mean; 0 masks a row out).
     */
    SoftmaxLoss.Result softmaxLoss(Tensor scores, int[] labels, double[] weights);

    /** {@code tanh(x)}, element-wise. */
    Tensor tanh(Tensor x);

    /** {@code dout * (1 - y^2)}: the gradient of tanh from its output {@code y}. */
    Tensor tanhBackward(Tensor dout, Tensor y);

    /** {@code 1 / (1 + exp(-x))}, element-wise. */
    Tensor sigmoid(Tensor x);

    /** {@code dout * y * (1 - y)}: the gradient of the sigmoid from its output {@code y}. */
    Tensor sigmoidBackward(Tensor dout, Tensor y);

    /** {@code a * b}, element-wise, same shapes; a new tensor. */
    Tensor mul(Tensor a, Tensor b);

    /** A copy of columns {@code [from, to)} of the 2-D {@code m} (R, C): shape (R, to - from). */
    Tensor columns(Tensor m, int from, int to);

    /** Writes {@code src} (R, w) into columns {@code [from, from + w)} of the 2-D {@code m} (R, C), in place. */
    void setColumns(Tensor m, int from, Tensor src);

    /** Rows {@code ids[i]} of the 2-D {@code table} (V, W), stacked: shape (ids.length, W). */
    Tensor gatherRows(Tensor table, int[] ids);

    /** A (rows, W) tensor whose row v is the sum of the rows i of {@code src} (ids.length, W) with ids[i] == v. */
    Tensor scatterAddRows(Tensor src, int[] ids, int rows);

    /** {@code min(max(x, lo), hi)}, element-wise; ReLU is the case {@code (0, +inf)}. */
    Tensor clamp(Tensor x, double lo, double hi);

    /** {@code dout} where {@code lo < x < hi}, else 0: the gradient of {@link #clamp}. */
    Tensor clampBackward(Tensor dout, Tensor x, double lo, double hi);

    /** {@code a + b}, element-wise, same shapes; a new tensor. */
    Tensor add(Tensor a, Tensor b);

    /**
     * Sums of {@code x} (N, C, d2, ..., dk) over every axis but the channel axis 1: a tensor of shape (C), for
     * batch-norm statistics and parameter gradients; accumulated at least in x's precision (the plain-Java backend
     * accumulates in double).
     */
    Tensor channelSums(Tensor x);

    /**
     * {@code x[n, c, ...] * scale[c] + shift[c]} for {@code x} (N, C, d2, ..., dk) and {@code scale}, {@code shift}
     * of shape (C); a new tensor (batch normalization's per-channel affine map).
     */
    Tensor channelAffine(Tensor x, Tensor scale, Tensor shift);

    /** Average pooling forward; see {@link AvgPool2d} for the layout, padding and divisor. */
    Tensor avgPool2dForward(Tensor x, AvgPool2d.Spec spec);

    /** Average pooling backward: the gradient of an input of shape {@code xShape}. */
    Tensor avgPool2dBackward(Tensor dout, Shape xShape, AvgPool2d.Spec spec);

    /** Softmax of every row of the 2-D {@code x} (N, C), computed stably (each row shifted by its maximum). */
    Tensor softmax(Tensor x);

    /** {@code y * (dout - rowsum(dout * y))}: the gradient of the row softmax from its output {@code y}. */
    Tensor softmaxBackward(Tensor dout, Tensor y);

    /**
     * A vanilla RNN over a sequence, {@link Rnn}'s contract: x (N, T, D), h0 (N, H), Wx (D, H), Wh (H, H), b (H),
     * already checked; the output is h (N, T, H). The default composes {@link dev.nabla.nn.RnnStep} step by step
     * ({@link Rnn#stepwiseForward}); a backend overrides it (with {@link #rnnBackward}) to fuse the steps.
     */
    default Saved rnnForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        return Rnn.stepwiseForward(x, h0, wx, wh, b);
    }

    /** The gradients of {@link #rnnForward} for the upstream gradient {@code dh} (N, T, H) and its saved state. */
    default Rnn.Grads rnnBackward(Tensor dh, Object state) {
        return Rnn.stepwiseBackward(dh, state);
    }

    /**
     * An LSTM over a sequence, {@link Lstm}'s contract (Wx (D, 4H), Wh (H, 4H), b (4H), cell state starting at 0);
     * the default composes {@link dev.nabla.nn.LstmStep} ({@link Lstm#stepwiseForward}).
     */
    default Saved lstmForward(Tensor x, Tensor h0, Tensor wx, Tensor wh, Tensor b) {
        return Lstm.stepwiseForward(x, h0, wx, wh, b);
    }

    /** The gradients of {@link #lstmForward} for the upstream gradient {@code dh} (N, T, H) and its saved state. */
    default Rnn.Grads lstmBackward(Tensor dh, Object state) {
        return Lstm.stepwiseBackward(dh, state);
    }
}
