package dev.nabla.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An (N, C, H, W) array copied into the middle of a larger one filled with a constant: the explicit padding that
 * lets libnd4j's unpadded pooling ops serve any padding (libnd4j pads symmetrically only).
 */
final class PaddedCopy {
    private PaddedCopy() {
    }

    /** {@code x} inside a border of {@code fill}, from the backend's pool; null when every padding is 0. */
    static BufferPool.Taken of(Nd4jBackend be, INDArray x, int top, int left, int bottom, int right, double fill) {
        if (top + left + bottom + right == 0) {
            return null;
        }
        BufferPool.Taken p = be.take(x.dataType(), x.size(0), x.size(1), x.size(2) + top + bottom,
                x.size(3) + left + right);
        p.array().assign(fill);
        inner(p.array(), top, left, x.size(2), x.size(3)).assign(x);
        return p;
    }

    /** The view of the h x w block of {@code padded} that starts at row {@code top}, column {@code left}. */
    static INDArray inner(INDArray padded, int top, int left, long h, long w) {
        return padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + h),
                NDArrayIndex.interval(left, left + w));
    }
}
