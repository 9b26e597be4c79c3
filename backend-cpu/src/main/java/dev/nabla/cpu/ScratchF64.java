package dev.nabla.cpu;

/**
 * Per-thread scratch arrays for the kernels, one per {@code slot}, grown to the largest request and then
 * kept, so a steady training loop allocates (and zeroes) no packing or im2col buffers. The price is
 * holding the largest call's buffers per worker thread (W2's columns: 7 MB in float). Contents are
 * stale: callers overwrite what they read. A kernel and the kernels it calls use distinct slots.
 */
final class ScratchF64 {
    /** im2col columns of a convolution. */
    static final int COLUMNS = 0;
    /** Their gradient in the backward pass. */
    static final int COLUMN_GRADS = 1;
    /** A packed panel of the left GEMM operand. */
    static final int PACKED_A = 2;
    /** A packed block of the right GEMM operand. */
    static final int PACKED_B = 3;
    /** An edge tile of C. */
    static final int TILE = 4;
    /** The stride phases of a padded input plane (depthwise convolution). */
    static final int PHASES = 5;
    /** Their gradient. */
    static final int PHASE_GRADS = 6;
    /** One output plane, or its gradient, kept as wide as the phases. */
    static final int PLANE = 7;

    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[8][0]);

    private ScratchF64() {
    }

    /** This thread's buffer {@code slot}, at least {@code size} long. */
    static double[] get(int slot, int size) {
        double[][] buffers = BUFFERS.get();
        if (buffers[slot].length < size) {
            buffers[slot] = new double[size];
        }
        return buffers[slot];
    }
}
