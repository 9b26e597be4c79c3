package dev.nabla.nd4j;

import dev.nabla.Tensor;
import dev.nabla.nn.Conv2d;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Which route serves a convolution on the ND4J backend, each measured against libnd4j's own op at the shapes
 * that take it (backend-nd4j/README.md): {@link Depthwise} for depthwise convolutions, {@link ConvGemm} for 1x1
 * convolutions and the backward of few-channel ones, libnd4j's {@code conv2d}/{@code conv2d_bp} (oneDNN)
 * otherwise, one call per group for other grouped convolutions. libnd4j pads symmetrically; an asymmetric
 * {@link Conv2d.Spec} is served by zero-padding the input explicitly and convolving without padding.
 */
final class ConvRoutes {
    private ConvRoutes() {
    }

    /** The output (N, F, OH, OW), in a pooled buffer that the chosen route writes whole (no zeroing). */
    static BufferPool.Taken forward(Nd4jBackend be, INDArray x, INDArray w, INDArray b, Conv2d.Spec spec) {
        BufferPool.Taken taken = be.take(x.dataType(), x.size(0), w.size(0),
                spec.outHeight((int) x.size(2), (int) w.size(2)), spec.outWidth((int) x.size(3), (int) w.size(3)));
        INDArray out = taken.array();
        if (depthwise(x, w, spec)) {
            // Pads by itself, asymmetric or not, into a pooled buffer.
            Depthwise.forward(be, x, w, b, spec, out);
        } else if (spec.symmetric()) {
            groupedForward(x, w, b, spec, spec.padTop(), spec.padLeft(), out);
        } else {
            try (INDArray padded = pad(x, spec)) {
                groupedForward(padded, w, b, spec, 0, 0, out);
            }
        }
        return taken;
    }

    /** dx, dw and db as tensors of {@code be}. */
    static Conv2d.Grads backward(Nd4jBackend be, INDArray x, INDArray w, INDArray dout, Conv2d.Spec spec) {
        BufferPool.Taken dwTaken = be.zeroed(w.dataType(), w.shape());
        INDArray dw = dwTaken.array();
        Tensor dx;
        if (depthwise(x, w, spec) || spec.symmetric()) {
            // Zeroed, as before pooling: the backward ops are not relied upon to write every element.
            BufferPool.Taken dxTaken = be.zeroed(x.dataType(), x.shape());
            if (depthwise(x, w, spec)) {
                Depthwise.backward(be, x, w, dout, spec, dxTaken.array(), dw);
            } else {
                groupedBackward(be, x, w, dout, spec, spec.padTop(), spec.padLeft(), dxTaken.array(), dw);
            }
            dx = be.wrap(dxTaken);
        } else {
            try (INDArray padded = pad(x, spec); INDArray dPadded = Nd4j.create(x.dataType(), padded.shape())) {
                groupedBackward(be, padded, w, dout, spec, 0, 0, dPadded, dw);
                dx = be.wrap(dPadded.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(spec.padTop(), spec.padTop() + x.size(2)),
                        NDArrayIndex.interval(spec.padLeft(), spec.padLeft() + x.size(3))).dup('c'));
            }
        }
        return new Conv2d.Grads(dx, be.wrap(dwTaken), be.wrap(ChannelOps.sums(dout)));
    }

    /** Whether these groups are depthwise: one filter per channel, each seeing only its channel ({@link Depthwise}). */
    private static boolean depthwise(INDArray x, INDArray w, Conv2d.Spec spec) {
        return spec.groups() > 1 && spec.groups() == x.size(1) && spec.groups() == w.size(0);
    }

    /** One conv2d (groups = 1), or else one conv2d per group on channel slices (depthwise is routed before). */
    private static void groupedForward(INDArray x, INDArray w, INDArray b, Conv2d.Spec spec, int padH, int padW,
                                INDArray out) {
        int sh = spec.strideH();
        int sw = spec.strideW();
        if (spec.groups() == 1 && ConvGemm.pointwise(x, w, sh, sw, padH, padW)) {
            ConvGemm.pointwiseForward(x, w, b, out);
        } else if (spec.groups() == 1) {
            LibNd4j.conv2d(x, w, b, sh, sw, padH, padW, out);
        } else {
            for (int grp = 0; grp < spec.groups(); grp++) {
                try (INDArray xg = slice(x, grp, spec.groups()); INDArray wg = slice0(w, grp, spec.groups());
                     INDArray bg = slice0(b, grp, spec.groups());
                     INDArray og = slice(out, grp, spec.groups())) {
                    LibNd4j.conv2d(xg, wg, bg, sh, sw, padH, padW, og);
                    channels(out, grp, spec.groups()).assign(og);
                }
            }
        }
    }

    /** The backward of {@link #groupedForward}: dx (x's shape) and dw (w's shape), both written. */
    private static void groupedBackward(Nd4jBackend be, INDArray x, INDArray w, INDArray dout, Conv2d.Spec spec,
                                        int padH, int padW, INDArray dx, INDArray dw) {
        int sh = spec.strideH();
        int sw = spec.strideW();
        if (spec.groups() == 1 && ConvGemm.worthIt(x, w, sh, sw, padH, padW, dout)) {
            ConvGemm.backward(be, x, w, dout, sh, sw, padH, padW, dx, dw);
        } else if (spec.groups() == 1) {
            LibNd4j.conv2dBackward(x, w, dout, sh, sw, padH, padW, dx, dw);
        } else {
            int g = spec.groups();
            for (int grp = 0; grp < g; grp++) {
                try (INDArray xg = slice(x, grp, g); INDArray wg = slice0(w, grp, g); INDArray dg = slice(dout, grp, g);
                     INDArray dxg = Nd4j.create(x.dataType(), xg.shape());
                     INDArray dwg = Nd4j.create(w.dataType(), wg.shape())) {
                    LibNd4j.conv2dBackward(xg, wg, dg, sh, sw, padH, padW, dxg, dwg);
                    channels(dx, grp, g).assign(dxg);
                    rows(dw, grp, g).assign(dwg);
                }
            }
        }
    }

    /** A view of channel slice {@code grp} of {@code groups} (dim 1). */
    private static INDArray channels(INDArray a, int grp, int groups) {
        long per = a.size(1) / groups;
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(grp * per, (grp + 1) * per));
    }

    /** A view of slice {@code grp} of {@code groups} along dim 0. */
    private static INDArray rows(INDArray a, int grp, int groups) {
        long per = a.size(0) / groups;
        return a.get(NDArrayIndex.interval(grp * per, (grp + 1) * per));
    }

    /** A dense copy of channel slice {@code grp}: libnd4j's conv ops want contiguous arrays. */
    private static INDArray slice(INDArray a, int grp, int groups) {
        return channels(a, grp, groups).dup('c');
    }

    /** A dense copy of slice {@code grp} along dim 0. */
    private static INDArray slice0(INDArray a, int grp, int groups) {
        return rows(a, grp, groups).dup('c');
    }

    private static INDArray pad(INDArray x, Conv2d.Spec spec) {
        return Nd4j.pad(x, new int[][] {{0, 0}, {0, 0}, {spec.padTop(), spec.padBottom()},
            {spec.padLeft(), spec.padRight()}});
    }
}
