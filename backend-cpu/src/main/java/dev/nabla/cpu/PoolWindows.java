package dev.nabla.cpu;

import dev.nabla.nn.AvgPool2d;

/** The windows of an average pooling, clipped to the image, visited plane by plane in parallel. */
final class PoolWindows {
    private PoolWindows() {
    }

    /** What is done at one window: output index, the plane's offset in x, its rows and columns in x, its divisor. */
    @FunctionalInterface
    interface Window {
        void at(int o, int plane, int r0, int r1, int c0, int c1, int divisor);
    }

    /** Calls {@code body} for every window of every plane (planes x h x w input), output index in row-major order. */
    static void forEach(Parallel par, int planes, int h, int w, AvgPool2d.Spec sp, Window body) {
        int oh = sp.outHeight(h);
        int ow = sp.outWidth(w);
        par.forRange(planes, 16, (from, to) -> {
            for (int p = from; p < to; p++) {
                int o = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = Math.max(i * sp.strideH() - sp.padTop(), 0);
                    int r1 = Math.min(i * sp.strideH() - sp.padTop() + sp.poolH(), h);
                    for (int j = 0; j < ow; j++, o++) {
                        int c0 = Math.max(j * sp.strideW() - sp.padLeft(), 0);
                        int c1 = Math.min(j * sp.strideW() - sp.padLeft() + sp.poolW(), w);
                        body.at(o, p * h * w, r0, r1, c0, c1, sp.divisor(i, j, h, w));
                    }
                }
            }
        });
    }
}
