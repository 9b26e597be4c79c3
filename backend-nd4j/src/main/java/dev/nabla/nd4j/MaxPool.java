package dev.nabla.nd4j;

import dev.nabla.nn.MaxPool2d;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling with any strides and padding, from libnd4j's unpadded {@code maxpool2d}: a padded spec pools a copy
 * of x inside a border of {@code -inf}, which no window picks, and the backward pass routes the gradient in that
 * padded frame and keeps its inner block. An unpadded spec calls libnd4j directly, as before padding existed.
 */
final class MaxPool {
    private MaxPool() {
    }

    /** {@code out} (N, C, OH, OW) = the spec's max pooling of x. */
    static void forward(Nd4jBackend be, INDArray x, MaxPool2d.Spec spec, INDArray out) {
        BufferPool.Taken xp = padded(be, x, spec);
        try {
            LibNd4j.maxPool2d(xp != null ? xp.array() : x, spec.poolH(), spec.poolW(), spec.strideH(),
                    spec.strideW(), out);
        } finally {
            if (xp != null) {
                be.discard(xp);
            }
        }
    }

    /** dx (x's shape, zeros on entry) from the upstream gradient of {@link #forward}. */
    static void backward(Nd4jBackend be, INDArray x, INDArray dout, MaxPool2d.Spec spec, INDArray dx) {
        BufferPool.Taken xp = padded(be, x, spec);
        if (xp == null) {
            LibNd4j.maxPool2dBackward(x, dout, spec.poolH(), spec.poolW(), spec.strideH(), spec.strideW(), dx);
            return;
        }
        BufferPool.Taken dxp = be.zeroed(xp.array().dataType(), xp.array().shape());
        try {
            LibNd4j.maxPool2dBackward(xp.array(), dout, spec.poolH(), spec.poolW(), spec.strideH(), spec.strideW(),
                    dxp.array());
            dx.assign(PaddedCopy.inner(dxp.array(), spec.padTop(), spec.padLeft(), x.size(2), x.size(3)));
        } finally {
            be.discard(xp);
            be.discard(dxp);
        }
    }

    private static BufferPool.Taken padded(Nd4jBackend be, INDArray x, MaxPool2d.Spec spec) {
        return PaddedCopy.of(be, x, spec.padTop(), spec.padLeft(), spec.padBottom(), spec.padRight(),
                Double.NEGATIVE_INFINITY);
    }
}
