package dev.nabla.nd4j;

import dev.nabla.Shape;
import dev.nabla.nn.AvgPool2d;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Average pooling with any padding and either divisor, from libnd4j's unpadded {@code avgpool2d}.
 *
 * <p>The input is zero-padded explicitly (libnd4j pads symmetrically only, and how its divisor treats
 * padding is not documented), so every window lies inside the padded array and libnd4j divides by the
 * window's area: that is {@code count_include_pad}. For the other divisor each output is then scaled by
 * area / (positions inside the image), one factor per output position, the same for every plane.
 */
final class AvgPool {
    private AvgPool() {
    }

    /** {@code out} (N, C, OH, OW) = the spec's average pooling of x. */
    static void forward(Nd4jBackend be, INDArray x, AvgPool2d.Spec spec, INDArray out) {
        BufferPool.Taken xp = padded(be, x, spec);
        try {
            LibNd4j.avgPool2d(xp != null ? xp.array() : x, spec.poolH(), spec.poolW(), spec.strideH(),
                    spec.strideW(), out);
        } finally {
            if (xp != null) {
                be.discard(xp);
            }
        }
        rescale(out, spec, (int) x.size(2), (int) x.size(3));
    }

    /** dx (x's shape, written whole) from the upstream gradient of {@link #forward}. */
    static void backward(Nd4jBackend be, INDArray dout, Shape xShape, AvgPool2d.Spec spec, INDArray dx) {
        int h = xShape.dim(2);
        int w = xShape.dim(3);
        INDArray d = dout;
        if (needsRescale(spec)) {
            d = dout.dup('c');
            rescale(d, spec, h, w);
        }
        long hp = h + spec.padTop() + spec.padBottom();
        long wp = w + spec.padLeft() + spec.padRight();
        // avgpool2d_bp reads only its input's shape, so a zero array of the padded shape serves.
        try (INDArray xp = Nd4j.create(dx.dataType(), xShape.dim(0), xShape.dim(1), hp, wp);
             INDArray dxp = Nd4j.create(dx.dataType(), xShape.dim(0), xShape.dim(1), hp, wp)) {
            LibNd4j.avgPool2dBackward(xp, d, spec.poolH(), spec.poolW(), spec.strideH(), spec.strideW(), dxp);
            dx.assign(PaddedCopy.inner(dxp, spec.padTop(), spec.padLeft(), h, w));
        } finally {
            if (d != dout) {
                d.close();
            }
        }
    }

    private static boolean needsRescale(AvgPool2d.Spec spec) {
        return !spec.countIncludePad() && spec.padTop() + spec.padLeft() + spec.padBottom() + spec.padRight() > 0;
    }

    /** Multiplies every plane of {@code a} (N, C, OH, OW) by area / divisor(i, j) where the two differ. */
    private static void rescale(INDArray a, AvgPool2d.Spec spec, int h, int w) {
        if (!needsRescale(spec)) {
            return;
        }
        int oh = (int) a.size(2);
        int ow = (int) a.size(3);
        double area = spec.poolH() * spec.poolW();
        double[] factor = new double[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                factor[i * ow + j] = area / spec.divisor(i, j, h, w);
            }
        }
        INDArray planes = Nd4j.create(a.data(), new long[] {a.size(0) * a.size(1), (long) oh * ow});
        try (INDArray row = Nd4j.create(factor, new long[] {1, (long) oh * ow}, a.dataType())) {
            planes.muliRowVector(row);
        }
    }

    /** x with the spec's zero padding; null when there is none. */
    private static BufferPool.Taken padded(Nd4jBackend be, INDArray x, AvgPool2d.Spec spec) {
        return PaddedCopy.of(be, x, spec.padTop(), spec.padLeft(), spec.padBottom(), spec.padRight(), 0);
    }
}
