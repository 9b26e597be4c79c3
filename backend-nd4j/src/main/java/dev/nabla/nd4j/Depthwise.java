package dev.nabla.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise convolution (groups = channels, one filter per channel) as a sum over the filter's taps
 * of whole-tensor element-wise ops on strided views, instead of libnd4j's {@code depthwise_conv2d}.
 *
 * <p>Why: libnd4j's depthwise ops (no oneDNN kernel in this build) measured 0.6-1.9 s forward and
 * 2.7-7.7 s backward at MobileNetV2's shapes with batch 8 (e.g. 144 channels at 56x56), 50-100 times
 * the plain-Java backend. Here, for a K x K filter, the output is
 * <pre>
 *   out = b + sum over taps (i, j) of  w[:, i, j] (per channel) * xpad[:, :, i + s*oy, j + s*ox]
 * </pre>
 * where each term is one broadcast multiply of a strided view of the padded input (no copy) and one
 * add: 2*K*K passes over the output. The backward is the same walk: for each tap,
 * {@code dxpad[view] += w[:, i, j] * dout} and {@code dw[:, i, j] = sum over n, oy, ox of
 * xpad[view] * dout}. Memory: one padded copy of x (and of dx) and one scratch array of the output's
 * size, all from the backend's pool.
 */
final class Depthwise {
    private Depthwise() {
    }

    /** {@code out = depthwise(x, w) + b}, w (C, 1, kH, kW), symmetric zero padding padH / padW. */
    static void forward(Nd4jBackend be, INDArray x, INDArray w, INDArray b, int sh, int sw, int padH, int padW,
                        INDArray out) {
        long kh = w.size(2);
        long kw = w.size(3);
        BufferPool.Taken xp = padded(be, x, padH, padW);
        INDArray xpa = xp != null ? xp.array() : x;
        BufferPool.Taken term = be.take(out.dataType(), out.shape());
        try {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    INDArray view = tap(xpa, i, j, sh, sw, out.size(2), out.size(3));
                    INDArray wt = tapWeights(w, i, j);
                    boolean first = i == 0 && j == 0;
                    Nd4j.exec(new BroadcastMulOp(view, wt, first ? out : term.array(), 1));
                    if (!first) {
                        out.addi(term.array());
                    }
                }
            }
            Nd4j.exec(new BroadcastAddOp(out, b, out, 1));
        } finally {
            be.discard(term);
            if (xp != null) {
                be.discard(xp);
            }
        }
    }

    /** dx (x's shape) and dw (w's shape) of {@link #forward}; both fully written. */
    static void backward(Nd4jBackend be, INDArray x, INDArray w, INDArray dout, int sh, int sw, int padH, int padW,
                         INDArray dx, INDArray dw) {
        long c = x.size(1);
        long kh = w.size(2);
        long kw = w.size(3);
        long oh = dout.size(2);
        long ow = dout.size(3);
        BufferPool.Taken xp = padded(be, x, padH, padW);
        INDArray xpa = xp != null ? xp.array() : x;
        BufferPool.Taken dxp = be.zeroed(x.dataType(), x.size(0), c, x.size(2) + 2L * padH, x.size(3) + 2L * padW);
        BufferPool.Taken term = be.take(dout.dataType(), dout.shape());
        try {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    Nd4j.exec(new BroadcastMulOp(dout, tapWeights(w, i, j), term.array(), 1));
                    tap(dxp.array(), i, j, sh, sw, oh, ow).addi(term.array());
                    tap(xpa, i, j, sh, sw, oh, ow).mul(dout, term.array());
                    try (INDArray sums = Nd4jBackend.channelSums(term.array())) {
                        tapColumn(dw, i, j).assign(sums);
                    }
                }
            }
            dx.assign(interior(dxp.array(), x, padH, padW));
        } finally {
            be.discard(term);
            be.discard(dxp);
            if (xp != null) {
                be.discard(xp);
            }
        }
    }

    /** x with padH zero rows above and below and padW zero columns left and right; null when no padding. */
    private static BufferPool.Taken padded(Nd4jBackend be, INDArray x, int padH, int padW) {
        if (padH == 0 && padW == 0) {
            return null;
        }
        BufferPool.Taken p = be.zeroed(x.dataType(), x.size(0), x.size(1), x.size(2) + 2L * padH,
                x.size(3) + 2L * padW);
        interior(p.array(), x, padH, padW).assign(x);
        return p;
    }

    /** The view of padded array p where the unpadded x (shape of x) lies. */
    private static INDArray interior(INDArray p, INDArray x, int padH, int padW) {
        long hp = p.size(2);
        long wp = p.size(3);
        return Nd4j.create(p.data(), x.shape(), new long[] {p.size(1) * hp * wp, hp * wp, wp, 1},
                padH * wp + padW, 'c');
    }

    /** The (N, C, oh, ow) view of padded p read by tap (i, j): element [n, c, i + sh*oy, j + sw*ox]. */
    private static INDArray tap(INDArray p, int i, int j, int sh, int sw, long oh, long ow) {
        long hp = p.size(2);
        long wp = p.size(3);
        return Nd4j.create(p.data(), new long[] {p.size(0), p.size(1), oh, ow},
                new long[] {p.size(1) * hp * wp, hp * wp, sh * wp, sw}, i * wp + j, 'c');
    }

    /** The C weights of tap (i, j), one per channel, as a dense vector. */
    private static INDArray tapWeights(INDArray w, int i, int j) {
        return tapColumn(w, i, j).dup('c');
    }

    /** The strided (C) view of w (C, 1, kH, kW) at tap (i, j). */
    private static INDArray tapColumn(INDArray w, int i, int j) {
        long kk = w.size(2) * w.size(3);
        return Nd4j.create(w.data(), new long[] {w.size(0)}, new long[] {kk}, i * w.size(3) + j, 'c');
    }
}
