package dev.nabla.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of an ungrouped convolution as im2col and two BLAS products, for the shapes where
 * libnd4j's {@code conv2d_bp} is slow.
 *
 * <p>Why: on the digit CNN's layer (50 images, 1 channel, 32 filters 5x5) {@code conv2d_bp} (oneDNN)
 * measured 15-20 ms, about 5 GFLOP/s, and this form 8-17 ms in the same runs. With P = OH*OW output positions and CKK = C*KH*KW:
 * <pre>
 *   dout2 (F, N*P)    = dout permuted to filter-major          (one strided copy)
 *   cols2 (CKK, N*P)  = im2col(x), permuted to patch-row-major (one im2col, one strided copy)
 *   dW    (F, CKK)    = dout2 . cols2^T                        (one GEMM)
 *   dcols2 (CKK, N*P) = W^T . dout2                            (one GEMM)
 *   dx                = col2im(dcols2 permuted back)           (one strided copy, one col2im)
 * </pre>
 * The price is the column buffers (C*KH*KW*N*P values, twice), so only convolutions with few input
 * channels and small columns go this way (see {@link #worthIt}). A 1x1 convolution at stride 1 without
 * padding is a matrix product per image and needs neither columns nor copies: forward
 * ({@link #pointwiseForward}) and backward ({@link #pointwiseBackward}) are BLAS calls on the images'
 * slices. All scratch arrays come from the backend's pool and go back to it before returning.
 */
final class ConvGemm {
    /** Column buffers above this many bytes stay with libnd4j's conv2d_bp (memory, not speed). */
    private static final long MAX_COLUMN_BYTES = 64L << 20;

    private ConvGemm() {
    }

    /** Input channels up to which libnd4j's conv2d_bp is slow enough to lose to the GEMM form. */
    private static final long FEW_CHANNELS = 8;

    /**
     * Whether the GEMM form serves this (ungrouped) backward: a pointwise convolution, or few input
     * channels with column buffers of a modest size. With many channels oneDNN is the faster one:
     * measured at W2's shape (64 channels, 3x3, 16 x 56x56) 75-95 ms for conv2d_bp, 420 ms this way.
     */
    static boolean worthIt(INDArray x, INDArray w, int sh, int sw, int padH, int padW, INDArray dout) {
        if (pointwise(x, w, sh, sw, padH, padW)) {
            return true;
        }
        long ckk = x.size(1) * w.size(2) * w.size(3);
        long np = dout.size(0) * dout.size(2) * dout.size(3);
        return x.size(1) <= FEW_CHANNELS && ckk * np * x.dataType().width() <= MAX_COLUMN_BYTES;
    }

    /** Input channels up to which a 1x1 convolution goes through per-image GEMMs (see {@link #pointwise}). */
    private static final long POINTWISE_MAX_CHANNELS = 64;

    /**
     * A 1x1 filter at stride 1 without padding, on at most {@value #POINTWISE_MAX_CHANNELS} input
     * channels: the convolution is one matrix product per image. Measured at MobileNetV2's shapes, batch
     * 8: with 16-32 input channels at 56-112 pixels this is 1.5-7x faster than libnd4j's conv2d_bp (and
     * 12-25x in the forward at 16 -> 96), with 144-320 channels at 7-56 pixels it was up to 2x slower.
     */
    static boolean pointwise(INDArray x, INDArray w, int sh, int sw, int padH, int padW) {
        return w.size(2) == 1 && w.size(3) == 1 && sh == 1 && sw == 1 && padH == 0 && padW == 0
                && x.size(1) <= POINTWISE_MAX_CHANNELS;
    }

    /**
     * {@code out = conv(x, w) + b} for a {@link #pointwise} filter: out_n (F, P) = W (F, C) . x_n (C, P)
     * for each image n, written straight into out's slices, then the bias per (image, filter) row.
     * libnd4j's conv2d measured 97-188 ms at MobileNetV2's 16 -> 96 channels, 112x112, batch 8.
     */
    static void pointwiseForward(INDArray x, INDArray w, INDArray b, INDArray out) {
        long n = x.size(0);
        long c = x.size(1);
        long f = w.size(0);
        long p = x.size(2) * x.size(3);
        INDArray w2 = view(w, f, c);
        for (long img = 0; img < n; img++) {
            Nd4j.gemm(w2, slice(x, img, c, p), slice(out, img, f, p), false, false, 1.0, 0.0);
        }
        double[] bias = b.data().asDouble();
        double[] col = new double[(int) (n * f)];
        for (int img = 0; img < n; img++) {
            System.arraycopy(bias, 0, col, img * (int) f, (int) f);
        }
        try (INDArray bcol = Nd4j.create(col, new long[] {n * f, 1}, out.dataType())) {
            view(out, n * f, p).addiColumnVector(bcol);
        }
    }

    /**
     * The backward of {@link #pointwiseForward}, per image and without copies: dW += dout_n . x_n^T and
     * dx_n = W^T . dout_n, each one BLAS call on views of the images' slices. The all-images GEMM form
     * with its two permuted copies measured slower at batch 8 (36 ms against libnd4j's 23 ms at 32 -> 16
     * channels, 112x112).
     */
    static void pointwiseBackward(INDArray x, INDArray w, INDArray dout, INDArray dx, INDArray dw) {
        long n = x.size(0);
        long c = x.size(1);
        long f = w.size(0);
        long p = x.size(2) * x.size(3);
        INDArray w2 = view(w, f, c);
        INDArray dw2 = view(dw, f, c);
        for (long img = 0; img < n; img++) {
            INDArray d = slice(dout, img, f, p);
            Nd4j.gemm(d, slice(x, img, c, p), dw2, false, true, 1.0, img == 0 ? 0.0 : 1.0);
            Nd4j.gemm(w2, d, slice(dx, img, c, p), true, false, 1.0, 0.0);
        }
    }

    /** Image {@code img} of a c-order (N, rows, ...) array as a (rows, cols) view. */
    private static INDArray slice(INDArray a, long img, long rows, long cols) {
        return Nd4j.create(a.data(), new long[] {rows, cols}, new long[] {cols, 1}, img * rows * cols, 'c');
    }

    /**
     * Writes dx (x's shape) and dw (w's shape) for {@code out = conv(x, w) + b} with symmetric padding
     * (padH top and bottom, padW left and right); the bias gradient is the caller's.
     */
    static void backward(Nd4jBackend be, INDArray x, INDArray w, INDArray dout, int sh, int sw, int padH,
                         int padW, INDArray dx, INDArray dw) {
        if (pointwise(x, w, sh, sw, padH, padW)) {
            pointwiseBackward(x, w, dout, dx, dw);
            return;
        }
        long n = x.size(0);
        long c = x.size(1);
        long f = w.size(0);
        long kh = w.size(2);
        long kw = w.size(3);
        long p = dout.size(2) * dout.size(3);
        long ckk = c * kh * kw;
        BufferPool.Taken dout2 = be.take(dout.dataType(), f, n * p);
        BufferPool.Taken cols2 = be.take(x.dataType(), ckk, n * p);
        BufferPool.Taken cols = be.take(x.dataType(), n, c, kh, kw, dout.size(2), dout.size(3));
        try {
            // Permutes as rank 3 (batch, rows, positions): ND4J's rank-6 strided copy measured 9 ms here
            // against under 1 ms for the same bytes at rank 3.
            view(dout2.array(), f, n, p).assign(view(dout, n, f, p).permute(1, 0, 2));
            Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x).addOutputs(cols.array())
                    .addIntegerArguments((int) kh, (int) kw, sh, sw, padH, padW, 1, 1, 0).addFloatingPointArguments(0.0)
                    .build());
            view(cols2.array(), ckk, n, p).assign(view(cols.array(), n, ckk, p).permute(1, 0, 2));
            Nd4j.gemm(dout2.array(), cols2.array(), view(dw, f, ckk), false, true, 1.0, 0.0);
            // dcols2 overwrites cols2, which the dW product no longer needs.
            Nd4j.gemm(view(w, f, ckk), dout2.array(), cols2.array(), true, false, 1.0, 0.0);
            view(cols.array(), n, ckk, p).assign(view(cols2.array(), ckk, n, p).permute(1, 0, 2));
            Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(cols.array()).addOutputs(dx)
                    .addIntegerArguments(sh, sw, padH, padW, (int) x.size(2), (int) x.size(3), 1, 1, 0).build());
        } finally {
            be.discard(dout2);
            be.discard(cols2);
            be.discard(cols);
        }
    }

    /** A c-order view of the whole buffer of {@code a} in another shape. */
    private static INDArray view(INDArray a, long... shape) {
        return Nd4j.create(a.data(), shape);
    }
}
