package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.SoftmaxLoss;

/**
 * The backend's kernels for one precision, on tensors already checked by {@link CpuBackend}: {@code OpsF64} is
 * written by hand and {@code OpsF32} generated from it (backend-cpu/pom.xml), so each operation's unpacking,
 * output allocation and kernel call is written once, and the backend only picks the precision.
 */
interface CpuOps {
    /** op(a) . op(b) into a new tensor of shape {@code out}. */
    CpuTensor matmul(CpuTensor a, boolean transposeA, CpuTensor b, boolean transposeB, Shape out);

    CpuTensor addRowVector(CpuTensor m, CpuTensor v);

    CpuTensor sumRows(CpuTensor m);

    CpuTensor clamp(CpuTensor x, double lo, double hi);

    CpuTensor clampBackward(CpuTensor dout, CpuTensor x, double lo, double hi);

    CpuTensor add(CpuTensor a, CpuTensor b);

    CpuTensor mul(CpuTensor a, CpuTensor b);

    CpuTensor tanh(CpuTensor x);

    CpuTensor tanhBackward(CpuTensor dout, CpuTensor y);

    CpuTensor sigmoid(CpuTensor x);

    CpuTensor sigmoidBackward(CpuTensor dout, CpuTensor y);

    CpuTensor convForward(CpuTensor x, CpuTensor w, CpuTensor b, ConvGeometry g);

    Conv2d.Grads convBackward(CpuTensor dout, CpuTensor x, CpuTensor w, ConvGeometry g);

    /** Max pooling into a new tensor of shape {@code outShape}; {@code argmax} receives each winner's index. */
    CpuTensor maxPoolForward(CpuTensor x, MaxPool2d.Spec spec, Shape outShape, int[] argmax);

    CpuTensor maxPoolBackward(CpuTensor dout, int[] argmax, Shape xShape);

    SoftmaxLoss.Result softmaxLoss(CpuTensor scores, int[] labels, double[] weights);

    /** Copies columns [from, from + block width) of m into block, or back when {@code put}. */
    void columnBlock(CpuTensor m, int from, CpuTensor block, boolean put);

    CpuTensor gatherRows(CpuTensor table, int[] ids);

    CpuTensor scatterAddRows(CpuTensor src, int[] ids, int rows);

    CpuTensor channelSums(CpuTensor x);

    CpuTensor channelAffine(CpuTensor x, CpuTensor scale, CpuTensor shift);

    CpuTensor avgPoolForward(CpuTensor x, AvgPool2d.Spec spec, Shape outShape);

    CpuTensor avgPoolBackward(CpuTensor dout, Shape xShape, AvgPool2d.Spec spec);

    CpuTensor softmax(CpuTensor x);

    CpuTensor softmaxBackward(CpuTensor dout, CpuTensor y);

    Backend.Saved rnnForward(CpuTensor x, CpuTensor h0, CpuTensor wx, CpuTensor wh, CpuTensor b);

    Rnn.Grads rnnBackward(CpuTensor dh, RecurrentState state);

    Backend.Saved lstmForward(CpuTensor x, CpuTensor h0, CpuTensor wx, CpuTensor wh, CpuTensor b);

    Rnn.Grads lstmBackward(CpuTensor dh, RecurrentState state);

    // ---- the in-place updates of Tensor ----

    void scale(CpuTensor y, double alpha);

    void addScaled(CpuTensor y, double alpha, CpuTensor x);

    void addScaledSquare(CpuTensor y, double alpha, CpuTensor x);

    void addScaledRatio(CpuTensor y, double alpha, CpuTensor num, CpuTensor den, double eps);

    double sum(CpuTensor x);

    double sumOfSquares(CpuTensor x);
}
