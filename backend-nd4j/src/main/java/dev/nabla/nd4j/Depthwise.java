package dev.nabla.nd4j;

import dev.nabla.nn.Conv2d;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise convolution (groups = channels, one filter per channel) as a sum over the filter's taps
 * of whole-tensor element-wise ops, instead of libnd4j's {@code depthwise_conv2d}.
 *
 * <p>Why: libnd4j's depthwise ops (no oneDNN kernel in this build) measured 0.6-1.9 s forward and
 * 2.7-7.7 s backward at MobileNetV2's shapes with batch 8 (e.g. 144 channels at 56x56), 50-100 times
 * the plain-Java backend. Here, for a K x K filter,
 * <pre>
 *   out = b + sum over taps (i, j) of  w[c, i, j] * xpad[n, c, i + s*oy, j + s*ox]
 * </pre>
 * Each term is gathered from a strided view of the padded input into a dense scratch array
 * ({@code assign}), scaled per (image, channel) row of its (N*C, OH*OW) view
 * ({@code muliColumnVector}) and added: three dense passes per tap. The shapes of these calls matter:
 * measured on a (8, 32, 112, 112) array, libnd4j's broadcast along dimension 1 took 21-28 ms and a
 * pairwise op writing into a strided view 64 ms, where a gather by {@code assign} took 4.7 ms, a
 * column-vector scale 1 ms and a dense add 2.7 ms.
 *
 * <p>Backward: dW for tap (i, j) is the per-channel sum of {@code xpad[tap view] * dout} (the sum as
 * a product with a ones vector, a BLAS gemv). dX is itself a depthwise correlation with the flipped
 * filter over dout placed in a zero grid with K-1 zeros of border, so it reuses the forward's walk;
 * with a stride above 1, each tap's share is instead added into its strided view of dX (gather, add,
 * write back), which works at the output's smaller resolution. The padding is then cropped off.
 * Scratch arrays come from the backend's pool.
 */
final class Depthwise {
    private Depthwise() {
    }

    /** {@code out = depthwise(x, w) + b}, w (C, 1, kH, kW), with the spec's stride and (asymmetric) padding. */
    static void forward(Nd4jBackend be, INDArray x, INDArray w, INDArray b, Conv2d.Spec spec, INDArray out) {
        int sh = spec.strideH();
        int sw = spec.strideW();
        BufferPool.Taken xp = padded(be, x, spec);
        try {
            correlate(be, xp != null ? xp.array() : x, w, false, sh, sw, out);
            long n = out.size(0);
            view(out, n * out.size(1), out.size(2) * out.size(3))
                    .addiColumnVector(ChannelOps.perRow(b.data().asDouble(), n, out));
        } finally {
            if (xp != null) {
                be.discard(xp);
            }
        }
    }

    /** dx (x's shape) and dw (w's shape) of {@link #forward}; both fully written. */
    static void backward(Nd4jBackend be, INDArray x, INDArray w, INDArray dout, Conv2d.Spec spec, INDArray dx,
                         INDArray dw) {
        int sh = spec.strideH();
        int sw = spec.strideW();
        long n = x.size(0);
        long c = x.size(1);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        long oh = dout.size(2);
        long ow = dout.size(3);
        long hp = x.size(2) + spec.padTop() + spec.padBottom();
        long wp = x.size(3) + spec.padLeft() + spec.padRight();
        BufferPool.Taken xp = padded(be, x, spec);
        INDArray xpa = xp != null ? xp.array() : x;
        BufferPool.Taken term = be.take(dout.dataType(), dout.shape());
        boolean strided = sh > 1 || sw > 1;
        BufferPool.Taken spread = strided ? null : be.zeroed(dout.dataType(), n, c, hp + kh - 1, wp + kw - 1);
        BufferPool.Taken dxp = xp != null ? be.zeroed(x.dataType(), n, c, hp, wp) : null;
        try (INDArray ones = Nd4j.ones(dout.dataType(), oh * ow, 1)) {
            INDArray term2d = view(term.array(), n * c, oh * ow);
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    term.array().assign(tap(xpa, i, j, sh, sw, oh, ow));
                    term.array().muli(dout);
                    try (INDArray rowSums = term2d.mmul(ones); INDArray sums = rowSums.reshape('c', n, c).sum(0)) {
                        tapColumn(dw, i, j).assign(sums);
                    }
                }
            }
            INDArray target = dxp != null ? dxp.array() : dx;
            if (strided) {
                scatter(be, dout, w, sh, sw, target, term);
            } else {
                // dout at (kh-1 + oy, kw-1 + ox) of a zero grid; correlating that with the flipped filter
                // gives the gradient of every padded input position.
                tap(spread.array(), kh - 1, kw - 1, 1, 1, oh, ow).assign(dout);
                correlate(be, spread.array(), w, true, 1, 1, target);
            }
            if (dxp != null) {
                dx.assign(interior(dxp.array(), x, spec));
            }
        } finally {
            be.discard(term);
            if (spread != null) {
                be.discard(spread);
            }
            if (dxp != null) {
                be.discard(dxp);
            }
            if (xp != null) {
                be.discard(xp);
            }
        }
    }

    /**
     * {@code target[tap (i, j) view] += w[c, i, j] * dout} for every tap, for a strided convolution: each
     * tap's view is gathered, updated densely and written back (libnd4j's pairwise ops writing into a
     * strided view are slow, its strided assign is not). Work at the output's resolution, where the
     * stride-1 correlation over a spread grid would work at the input's. {@code target} starts zeroed;
     * {@code scratch} has dout's shape.
     */
    private static void scatter(Nd4jBackend be, INDArray dout, INDArray w, int sh, int sw, INDArray target,
                                BufferPool.Taken scratch) {
        long n = dout.size(0);
        long c = dout.size(1);
        long oh = dout.size(2);
        long ow = dout.size(3);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        double[] wv = w.data().asDouble();
        BufferPool.Taken acc = be.take(dout.dataType(), dout.shape());
        INDArray term2d = view(scratch.array(), n * c, oh * ow);
        try {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    scratch.array().assign(dout);
                    try (INDArray col = ChannelOps.perRow(tapWeights(wv, (int) c, kh * kw, i * kw + j), n, dout)) {
                        term2d.muliColumnVector(col);
                    }
                    INDArray v = tap(target, i, j, sh, sw, oh, ow);
                    acc.array().assign(v);
                    acc.array().addi(scratch.array());
                    v.assign(acc.array());
                }
            }
        } finally {
            be.discard(acc);
        }
    }

    /** The weights of tap t (row-major index in the kH x kW filter) of every channel, from w's values. */
    private static double[] tapWeights(double[] wv, int channels, int taps, int t) {
        double[] out = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            out[ch] = wv[ch * taps + t];
        }
        return out;
    }

    /**
     * {@code out[n, c, oy, ox] = sum over taps of w[c, i, j] * src[n, c, i + sh*oy, j + sw*ox]}, with the
     * filter flipped (w[c, kh-1-i, kw-1-j]) when asked; every element of out is written.
     */
    private static void correlate(Nd4jBackend be, INDArray src, INDArray w, boolean flip, int sh, int sw,
                                  INDArray out) {
        long n = out.size(0);
        long c = out.size(1);
        long oh = out.size(2);
        long ow = out.size(3);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        double[] wv = w.data().asDouble();
        INDArray out2d = view(out, n * c, oh * ow);
        BufferPool.Taken term = be.take(out.dataType(), out.shape());
        INDArray term2d = view(term.array(), n * c, oh * ow);
        try {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int t = flip ? (kh - 1 - i) * kw + (kw - 1 - j) : i * kw + j;
                    boolean first = i == 0 && j == 0;
                    INDArray dest = first ? out : term.array();
                    dest.assign(tap(src, i, j, sh, sw, oh, ow));
                    try (INDArray col = ChannelOps.perRow(tapWeights(wv, (int) c, kh * kw, t), n, out)) {
                        (first ? out2d : term2d).muliColumnVector(col);
                    }
                    if (!first) {
                        out.addi(term.array());
                    }
                }
            }
        } finally {
            be.discard(term);
        }
    }

    /** x with the spec's zero padding on each side; null when there is none. */
    private static BufferPool.Taken padded(Nd4jBackend be, INDArray x, Conv2d.Spec spec) {
        if (spec.padTop() + spec.padBottom() + spec.padLeft() + spec.padRight() == 0) {
            return null;
        }
        BufferPool.Taken p = be.zeroed(x.dataType(), x.size(0), x.size(1), x.size(2) + spec.padTop()
                + spec.padBottom(), x.size(3) + spec.padLeft() + spec.padRight());
        interior(p.array(), x, spec).assign(x);
        return p;
    }

    /** The view of padded array p where the unpadded x (shape of x) lies. */
    private static INDArray interior(INDArray p, INDArray x, Conv2d.Spec spec) {
        long hp = p.size(2);
        long wp = p.size(3);
        return Nd4j.create(p.data(), x.shape(), new long[] {p.size(1) * hp * wp, hp * wp, wp, 1},
                spec.padTop() * wp + spec.padLeft(), 'c');
    }

    /** The (N, C, oh, ow) view of p read by tap (i, j): element [n, c, i + sh*oy, j + sw*ox]. */
    private static INDArray tap(INDArray p, int i, int j, int sh, int sw, long oh, long ow) {
        long hp = p.size(2);
        long wp = p.size(3);
        return Nd4j.create(p.data(), new long[] {p.size(0), p.size(1), oh, ow},
                new long[] {p.size(1) * hp * wp, hp * wp, sh * wp, sw}, i * wp + j, 'c');
    }

    /** The strided (C) view of w (C, 1, kH, kW) at tap (i, j). */
    private static INDArray tapColumn(INDArray w, int i, int j) {
        long kk = w.size(2) * w.size(3);
        return Nd4j.create(w.data(), new long[] {w.size(0)}, new long[] {kk}, i * w.size(3) + j, 'c');
    }

    /** A c-order view of the whole buffer of {@code a} in another shape. */
    private static INDArray view(INDArray a, long... shape) {
        return Nd4j.create(a.data(), shape);
    }
}
