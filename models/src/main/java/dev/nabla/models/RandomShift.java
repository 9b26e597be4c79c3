package dev.nabla.models;

import dev.nabla.train.Augmentation;
import java.util.Arrays;
import java.util.Random;

/**
 * Moves each image (C, H, W) by a random whole number of pixels, up to {@code maxShift} in each
 * direction, filling with 0 (the background of MNIST). Digits are recognisable wherever they sit,
 * so this shows the network more of the same truth and curbs overfitting.
 */
public record RandomShift(int maxShift) implements Augmentation {
    /** Checks the range. */
    public RandomShift {
        if (maxShift < 0) {
            throw new IllegalArgumentException("RandomShift: maxShift must be >= 0, got " + maxShift);
        }
    }

    @Override
    public void apply(float[] batch, int count, int[] sampleShape, Random rng) {
        if (sampleShape.length != 3) {
            throw new IllegalArgumentException("RandomShift needs samples of shape (C, H, W), got "
                    + Arrays.toString(sampleShape));
        }
        int c = sampleShape[0];
        int h = sampleShape[1];
        int w = sampleShape[2];
        float[] plane = new float[h * w];
        for (int s = 0; s < count; s++) {
            int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
            int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            for (int ch = 0; ch < c; ch++) {
                int off = (s * c + ch) * h * w;
                System.arraycopy(batch, off, plane, 0, h * w);
                for (int y = 0; y < h; y++) {
                    int sy = y - dy;
                    for (int x = 0; x < w; x++) {
                        int sx = x - dx;
                        batch[off + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? plane[sy * w + sx] : 0;
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "random shift up to " + maxShift + " px";
    }
}
