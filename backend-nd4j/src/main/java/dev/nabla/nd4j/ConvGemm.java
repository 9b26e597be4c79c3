package dev.nabla.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of an ungrouped convolution as im2col and two BLAS products, for the shapes where
 * libnd4j's {@code conv2d_bp} is slow.
 *
 * <p>Why: on the digit CNN's layer (50 images, 1 channel, 32 filters 5x5) {@code conv2d_bp} (oneDNN)
 * measured 18 ms, about 5 GFLOP/s, where the same work as two GEMMs over all images at once takes a
 * few milliseconds. With P = OH*OW output positions and CKK = C*KH*KW:
 * <pre>
 *   dout2 (F, N*P)    = dout permuted to filter-major          (one strided copy)
 *   cols2 (CKK, N*P)  = im2col(x), permuted to patch-row-major (one im2col, one strided copy)
 *   dW    (F, CKK)    = dout2 . cols2^T                        (one GEMM)
 *   db    (F)         = row sums of dout2
 *   dcols2 (CKK, N*P) = W^T . dout2                            (one GEMM)
 *   dx                = col2im(dcols2 permuted back)           (one strided copy, one col2im)
 * </pre>
 * A 1x1 convolution with stride 1 and no padding needs no im2col or col2im: x itself is its columns.
 * The price is the column buffers (C*KH*KW*N*P values, twice), so the caller routes only convolutions
 * whose columns are small (see {@link #worthIt}) this way. All scratch arrays come from the backend's
 * pool and go back to it before returning.
 */
final class ConvGemm {
    /** Column buffers above this many bytes stay with libnd4j's conv2d_bp (memory, not speed). */
    private static final long MAX_COLUMN_BYTES = 64L << 20;

    private ConvGemm() {
    }

    /** Whether the GEMM form serves this backward: one group, and column buffers of a modest size. */
    static boolean worthIt(INDArray x, INDArray w, INDArray dout) {
        long ckk = x.size(1) * w.size(2) * w.size(3);
        long np = dout.size(0) * dout.size(2) * dout.size(3);
        return ckk * np * x.dataType().width() <= MAX_COLUMN_BYTES;
    }

    /**
     * Writes dx (x's shape) and dw (w's shape) and returns db (F) for {@code out = conv(x, w) + b} with
     * symmetric padding (padH top and bottom, padW left and right).
     */
    static INDArray backward(Nd4jBackend be, INDArray x, INDArray w, INDArray dout, int sh, int sw, int padH,
                             int padW, INDArray dx, INDArray dw) {
        long n = x.size(0);
        long c = x.size(1);
        long f = w.size(0);
        long kh = w.size(2);
        long kw = w.size(3);
        long oh = dout.size(2);
        long ow = dout.size(3);
        long ckk = c * kh * kw;
        long np = n * oh * ow;
        boolean pointwise = kh == 1 && kw == 1 && sh == 1 && sw == 1 && padH == 0 && padW == 0;
        BufferPool.Taken dout2 = be.take(dout.dataType(), f, np);
        BufferPool.Taken cols2 = be.take(x.dataType(), ckk, np);
        BufferPool.Taken cols = pointwise ? null : be.take(x.dataType(), n, c, kh, kw, oh, ow);
        try {
            view(dout2.array(), f, n, oh, ow).assign(dout.permute(1, 0, 2, 3));
            if (pointwise) {
                view(cols2.array(), c, n, oh, ow).assign(x.permute(1, 0, 2, 3));
            } else {
                Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x).addOutputs(cols.array())
                        .addIntegerArguments((int) kh, (int) kw, sh, sw, padH, padW, 1, 1, 0).addFloatingPointArguments(0.0)
                        .build());
                view(cols2.array(), c, kh, kw, n, oh, ow).assign(cols.array().permute(1, 2, 3, 0, 4, 5));
            }
            INDArray w2 = view(w, f, ckk);
            Nd4j.gemm(dout2.array(), cols2.array(), view(dw, f, ckk), false, true, 1.0, 0.0);
            INDArray db = dout2.array().sum(1);
            // dcols2 overwrites cols2, which the dW product no longer needs.
            Nd4j.gemm(w2, dout2.array(), cols2.array(), true, false, 1.0, 0.0);
            if (pointwise) {
                dx.assign(view(cols2.array(), c, n, oh, ow).permute(1, 0, 2, 3));
            } else {
                cols.array().assign(view(cols2.array(), c, kh, kw, n, oh, ow).permute(3, 0, 1, 2, 4, 5));
                Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(cols.array()).addOutputs(dx)
                        .addIntegerArguments(sh, sw, padH, padW, (int) x.size(2), (int) x.size(3), 1, 1, 0).build());
            }
            return db;
        } finally {
            be.discard(dout2);
            be.discard(cols2);
            if (cols != null) {
                be.discard(cols);
            }
        }
    }

    /** A c-order view of the whole buffer of {@code a} in another shape. */
    private static INDArray view(INDArray a, long... shape) {
        return Nd4j.create(a.data(), shape);
    }
}
