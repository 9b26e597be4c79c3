package dev.nabla.data;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)}, which torchvision's {@code Resize} and {@code RandomResizedCrop}
 * call on PIL images, reproduced step for step (Pillow's {@code Resample.c}): a triangle filter whose support
 * widens with the reduction factor (so shrinking averages every source pixel, antialiased), applied horizontally
 * then vertically, in Pillow's 22-bit fixed point with the intermediate rounded to 8 bits. Matching it keeps our
 * inputs within a level or two of what a PyTorch-trained network saw.
 */
final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {
    }

    /**
     * Resizes {@code src} (packed RGB, {@code srcWidth x srcHeight}, row-major) to {@code outWidth x outHeight} and
     * returns only the window {@code [left, left + width) x [top, top + height)} of the result: the same values as
     * resizing all and cropping, computing only what is kept.
     */
    static int[] resize(int[] src, int srcWidth, int srcHeight, int outWidth, int outHeight,
                        int left, int top, int width, int height) {
        Coefficients horizontal = Coefficients.of(srcWidth, outWidth);
        Coefficients vertical = Coefficients.of(srcHeight, outHeight);
        // The source rows the kept output rows read: the horizontal pass needs no others.
        int firstRow = vertical.first[top];
        int endRow = vertical.first[top + height - 1] + vertical.count[top + height - 1];
        int[] rows = new int[(endRow - firstRow) * width];
        for (int y = firstRow; y < endRow; y++) {
            for (int x = 0; x < width; x++) {
                rows[(y - firstRow) * width + x] = horizontal.apply(src, y * srcWidth, 1, left + x);
            }
        }
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = vertical.apply(rows, x - firstRow * width, width, top + y);
            }
        }
        return out;
    }

    /** Pillow's {@code bilinear_filter}: a triangle of support 1. */
    private static double triangle(double x) {
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /** Pillow's {@code clip8}: the fixed-point sum back to a byte, clamped. */
    private static int clip8(int sum) {
        return Math.min(255, Math.max(0, sum >> PRECISION_BITS));
    }

    /** One axis's taps: output i reads inputs {@code [first[i], first[i] + count[i])} with fixed-point weights. */
    private record Coefficients(int[] first, int[] count, int[] weights, int kernelSize) {
        /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for one axis. */
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;  // the triangle's support, 1, widened when shrinking
            int kernelSize = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * kernelSize];
            double[] k = new double[kernelSize];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                // (int) truncates toward zero, as C's cast in Pillow does.
                int min = Math.max((int) (center - support + 0.5), 0);
                int n = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0;
                for (int x = 0; x < n; x++) {
                    k[x] = triangle((x + min - center + 0.5) / filterScale);
                    total += k[x];
                }
                for (int x = 0; x < n; x++) {
                    double w = total != 0.0 ? k[x] / total : k[x];
                    weights[i * kernelSize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                first[i] = min;
                count[i] = n;
            }
            return new Coefficients(first, count, weights, kernelSize);
        }

        /** Output {@code i} of this axis from the pixels at {@code base + step * j} for input index j. */
        int apply(int[] pixels, int base, int step, int i) {
            int r = 1 << (PRECISION_BITS - 1);  // rounds the shift in clip8
            int g = r;
            int b = r;
            int at = base + step * first[i];
            for (int j = 0, w = i * kernelSize; j < count[i]; j++, w++, at += step) {
                int p = pixels[at];
                int weight = weights[w];
                r += ((p >> 16) & 0xff) * weight;
                g += ((p >> 8) & 0xff) * weight;
                b += (p & 0xff) * weight;
            }
            return clip8(r) << 16 | clip8(g) << 8 | clip8(b);
        }
    }
}
