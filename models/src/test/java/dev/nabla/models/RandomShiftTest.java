package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RandomShiftTest {
    @Test
    void movesEachImageByAtMostTheShiftAndFillsWithZero() {
        // One 1x3x3 image with a single lit pixel in the centre: after a shift of up to 1 pixel the pixel
        // is somewhere in the 3x3 grid, the rest are 0, and the total is unchanged.
        for (int seed = 0; seed < 20; seed++) {
            float[] img = {0, 0, 0, 0, 5, 0, 0, 0, 0};
            new RandomShift(1).apply(img, 1, new int[] {1, 3, 3}, new Random(seed));
            float sum = 0;
            int lit = 0;
            for (float v : img) {
                sum += v;
                lit += v != 0 ? 1 : 0;
            }
            assertEquals(5, sum);
            assertEquals(1, lit);
        }
    }

    @Test
    void shiftMovesPixelsTheWayItSays() {
        // Row-major 2x3 image [[1,2,3],[4,5,6]]; a zero shift keeps it, and a generator that always
        // draws the largest shift (+1, +1) moves everything down-right, dropping what falls off.
        float[] img = {1, 2, 3, 4, 5, 6};
        new RandomShift(0).apply(img, 1, new int[] {1, 2, 3}, new Random(1));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, img);
        Random alwaysMax = new Random() {
            @Override
            public int nextInt(int bound) {
                return bound - 1;
            }
        };
        new RandomShift(1).apply(img, 1, new int[] {1, 2, 3}, alwaysMax);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2}, img);
    }
}
