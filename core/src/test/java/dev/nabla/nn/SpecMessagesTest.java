package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Shape;
import org.junit.jupiter.api.Test;

/** A rejected spec names the values it was given (a record's compact constructor cannot print itself yet). */
class SpecMessagesTest {
    @Test
    void poolingSpecsNameTheRejectedNumbers() {
        String max = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d.Spec(3, 3, 2, 2, 3, 0, 0, 0)).getMessage();
        assertTrue(max.startsWith("MaxPool2d.Spec: padding must be smaller than the window"), max);
        assertTrue(max.contains("window 3x3") && max.contains("top 3"), max);
        String avg = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool2d.Spec(2, 0, 1, 1, 0, 0, 0, 0, true)).getMessage();
        assertTrue(avg.startsWith("AvgPool2d.Spec: pool sizes and strides") && avg.contains("window 2x0"), avg);
    }

    @Test
    void convolutionAndPaddingSpecsNameTheRejectedNumbers() {
        String conv = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d.Spec(1, 1, 0, 0, 0, 0, 0)).getMessage();
        assertTrue(conv.endsWith("groups 0"), conv);
        String pad = assertThrows(IllegalArgumentException.class, () -> new Pad.Spec(0, -2, 0, 0)).getMessage();
        assertTrue(pad.contains("left -2"), pad);
    }

    @Test
    void aFilterLargerThanThePaddedInputHasNoOutputWhateverTheStride() {
        Conv2d.Spec strided = Conv2d.Spec.of(2, 0);
        assertEquals(0, strided.outHeight(2, 3));
        assertEquals(0, strided.outWidth(2, 3));
        assertEquals(1, strided.outHeight(3, 3));
        assertEquals(2, Conv2d.Spec.of(2, 1).outWidth(4, 3));
    }

    @Test
    void bothPoolingsShareTheWindowArithmetic() {
        PoolWindow max = new MaxPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1);
        PoolWindow avg = new AvgPool2d.Spec(3, 3, 2, 2, 1, 1, 1, 1, false);
        Shape x = Shape.of(2, 4, 7, 8);
        assertEquals(Shape.of(2, 4, 4, 4), max.outputShape(x));
        assertEquals(max.outputShape(x), avg.outputShape(x));
        assertFalse(new MaxPool2d.Spec(3, 3, 1).fits(Shape.of(1, 1, 2, 5)));
        assertTrue(new MaxPool2d.Spec(3, 3, 1).fits(Shape.of(1, 1, 3, 3)));
    }
}
