package dev.nabla.cpu;

/**
 * Geometry of one convolution call: input (n, c, h, w), filters (f, c/groups, kh, kw), output (n, f, oh, ow);
 * each of the {@code groups} channel slices is convolved on its own.
 */
record ConvGeometry(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow,
                    int strideH, int strideW, int padTop, int padLeft, int groups) {
    /** Input channels per group. */
    int groupChannels() {
        return c / groups;
    }

    /** Filters per group. */
    int groupFilters() {
        return f / groups;
    }

    /** Rows of one group's im2col matrix: one per (channel of the group, filter row, filter column). */
    int rows() {
        return groupChannels() * kh * kw;
    }

    /** Columns of the im2col matrix: one per output pixel. */
    int pixels() {
        return oh * ow;
    }

    /** First output column whose input column for filter column kj is inside the image (not padding). */
    int firstInside(int kj) {
        return Math.max(0, Math.floorDiv(padLeft - kj + strideW - 1, strideW));
    }

    /** One past the last output column whose input column for filter column kj is inside the image. */
    int endInside(int kj) {
        return Math.max(firstInside(kj), Math.min(ow, Math.floorDiv(w - 1 - kj + padLeft, strideW) + 1));
    }

    /** A 1x1, stride-1, unpadded convolution: its im2col matrix is the input itself, so no copy is needed. */
    boolean isPointwise() {
        return kh == 1 && kw == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0 && oh == h && ow == w;
    }

    /** One filter per channel (groups = channels = filters): each output plane reads one input plane. */
    boolean isDepthwise() {
        return groups == c && f == c && groups > 1;
    }
}
