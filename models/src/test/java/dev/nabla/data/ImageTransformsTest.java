package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.ImagePreprocessing.Box;
import dev.nabla.io.Npy;
import dev.nabla.io.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The training and evaluation transforms on small synthetic images whose every pixel is known. */
class ImageTransformsTest {
    private static final ImagePreprocessing PREP =
            new ImagePreprocessing(8, 6, 6, new double[] {0.5, 0.25, 0.125}, new double[] {0.5, 0.25, 2.0});

    /** A width x height image whose pixel (x, y) is r = 10x + y, g = 100 + y, b = 200 + x: all distinct. */
    private static BufferedImage known(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, rgb(10 * x + y, 100 + y, 200 + x));
            }
        }
        return img;
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void flipMirrorsTheColumnsExactly() {
        BufferedImage img = known(6, 4);
        BufferedImage flipped = ImagePreprocessing.flipHorizontal(img);
        assertEquals(6, flipped.getWidth());
        assertEquals(4, flipped.getHeight());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(img.getRGB(5 - x, y), flipped.getRGB(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
        assertArrayEquals(pixels(img), pixels(ImagePreprocessing.flipHorizontal(flipped)), "flipping twice");
    }

    @Test
    void aForcedCropBoxMapsTheRightPixels() {
        BufferedImage img = known(6, 4);
        // Same size out as in: the box's own pixels, exactly.
        BufferedImage crop = ImagePreprocessing.resizedCrop(img, new Box(2, 1, 3, 2), 3, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(img.getRGB(2 + x, 1 + y) & 0xffffff, crop.getRGB(x, y) & 0xffffff, "(" + x + ", " + y + ")");
            }
        }
        // Halved: Pillow's triangle filter is symmetric, so on a linear ramp an output pixel whose taps all lie
        // inside the image takes the ramp's value at its centre, source column 2x + 0.5.
        BufferedImage ramp = new BufferedImage(16, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 16; x++) {
                ramp.setRGB(x, y, rgb(10 * x, 77, 200));
            }
        }
        BufferedImage half = ImagePreprocessing.resizedCrop(ramp, new Box(0, 0, 16, 4), 8, 2);
        for (int x = 1; x < 7; x++) {
            for (int y = 0; y < 2; y++) {
                assertEquals(rgb(20 * x + 5, 77, 200), half.getRGB(x, y) & 0xffffff, "(" + x + ", " + y + ")");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.resizedCrop(img, new Box(4, 0, 3, 2), 3, 2));
    }

    @Test
    void randomResizedCropBoxesStayInsideTheImageWithinTheScaleAndRatioBounds() {
        int[][] sizes = {{500, 375}, {375, 500}, {224, 224}, {800, 533}, {60, 40}};
        for (int[] size : sizes) {
            int width = size[0];
            int height = size[1];
            Random rnd = new Random(42);
            for (int i = 0; i < 2000; i++) {
                Box b = ImagePreprocessing.randomResizedCropBox(width, height, rnd);
                String where = b + " in " + width + "x" + height;
                assertTrue(b.left() >= 0 && b.top() >= 0 && b.width() > 0 && b.height() > 0, where);
                assertTrue(b.left() + b.width() <= width && b.top() + b.height() <= height, where);
                // Bounds up to the rounding of w and h to whole pixels.
                double area = (double) b.width() * b.height() / (width * height);
                double slack = 1.0 / Math.min(b.width(), b.height());
                assertTrue(area >= 0.08 * (1 - slack) * (1 - slack) && area <= 1.0, "area " + area + " " + where);
                double ratio = (double) b.width() / b.height();
                assertTrue(ratio >= 0.75 * (1 - 2 * slack) && ratio <= 4.0 / 3.0 * (1 + 2 * slack), "ratio " + where);
            }
        }
    }

    @Test
    void aVeryTallImageFallsBackToTheCentredCropAsTorchvisionDoes() {
        // No box of ratio >= 3/4 and >= 8% of the area fits 10 pixels wide: after 10 tries, the centre crop with
        // the width kept and height = round(10 / (3/4)) = 13.
        Box b = ImagePreprocessing.randomResizedCropBox(10, 1000, new Random(1));
        assertEquals(new Box(0, (1000 - 13) / 2, 10, 13), b);
        assertEquals(new Box(493, 0, 13, 10), ImagePreprocessing.randomResizedCropBox(1000, 10, new Random(1)));
        // In range: the whole image (e.g. scale bounds that no box can meet).
        assertEquals(new Box(0, 0, 50, 40),
                ImagePreprocessing.randomResizedCropBox(50, 40, 2.0, 3.0, 0.75, 4.0 / 3.0, new Random(1)));
    }

    @Test
    void trainCropIsTheRandomBoxResizedThenAFairCoinFlip() {
        BufferedImage img = known(40, 30);
        int flips = 0;
        for (long seed = 0; seed < 200; seed++) {
            Random replay = new Random(seed);
            Box box = ImagePreprocessing.randomResizedCropBox(40, 30, replay);
            BufferedImage expected = ImagePreprocessing.resizedCrop(img, box, 6, 6);
            if (replay.nextDouble() < 0.5) {
                expected = ImagePreprocessing.flipHorizontal(expected);
                flips++;
            }
            BufferedImage crop = PREP.trainCrop(img, new Random(seed));
            assertEquals(6, crop.getWidth());
            assertEquals(6, crop.getHeight());
            assertArrayEquals(pixels(expected), pixels(crop), "seed " + seed);
        }
        assertTrue(flips > 70 && flips < 130, flips + " flips in 200");
    }

    @Test
    void aFixedSeedRepeatsAndAnotherSeedDiffers() {
        BufferedImage img = known(40, 30);
        float[] a = PREP.trainTransform(img, new Random(7));
        assertArrayEquals(a, PREP.trainTransform(img, new Random(7)));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(PREP.trainTransform(img, new Random(8))));
    }

    @Test
    void evalTransformMatchesTheReferencePreprocessingWithinOneLevel() throws Exception {
        // The model's reference inputs were made with PIL (resize 256 bilinear antialiased, centre crop 224);
        // what is left is the JPEG decoders' rounding.
        Path model = TestData.file("pretrained/mobilenet_v2_1.0_224");
        ImagePreprocessing prep = dev.nabla.models.MobileNetV2.PREPROCESSING;
        String[][] cases = {{"ant_0013035", "train/ants/0013035.jpg"}, {"bee_16838648", "train/bees/16838648_415acd9e3f.jpg"}};
        for (String[] c : cases) {
            float[] ref = Npy.read(model.resolve("reference/" + c[0] + ".input.npy")).asFloats();
            float[] x = prep.evalTransform(ImagePreprocessing.decode(TestData.file("hymenoptera_data/" + c[1])));
            assertEquals(ref.length, x.length);
            double worst = 0;
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                double levels = Math.abs(x[i] - ref[i]) * 127.5;  // std 0.5: one pixel level is 1/127.5
                worst = Math.max(worst, levels);
                sum += levels;
            }
            assertTrue(worst <= 1.01 && sum / x.length < 0.3, c[0] + ": worst " + worst + " levels, mean " + sum / x.length);
        }
    }

    @Test
    void normalizeIsChannelMajorWithTheModelsMeanAndStd() {
        BufferedImage img = known(3, 2);
        float[] out = PREP.normalize(img);
        assertEquals(3 * 2 * 3, out.length);
        int plane = 6;
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int i = y * 3 + x;
                assertEquals((float) (((10 * x + y) / 255.0 - 0.5) / 0.5), out[i], 1e-6);
                assertEquals((float) (((100 + y) / 255.0 - 0.25) / 0.25), out[plane + i], 1e-6);
                assertEquals((float) (((200 + x) / 255.0 - 0.125) / 2.0), out[2 * plane + i], 1e-6);
            }
        }
    }

    @Test
    void greyAndTransparentPixelsConvertAsPillowsConvertRgb() {
        // A grey JPEG decodes to a linear-grey image in Java: its level must be copied, not gamma-corrected.
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 0, 0, 100);
        float[] g = PREP.normalize(grey);
        assertEquals((float) ((100 / 255.0 - 0.5) / 0.5), g[1], 1e-6);
        assertEquals((float) ((100 / 255.0 - 0.25) / 0.25), g[6 + 1], 1e-6);
        // A transparent pixel keeps its colour (alpha is dropped, not blended into black).
        BufferedImage clear = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        clear.setRGB(0, 0, 0x00336699);
        assertEquals(0x336699, ImagePreprocessing.flipHorizontal(clear).getRGB(0, 0) & 0xffffff);
    }

    @Test
    void evalCropResizesTheShorterSideThenTakesTheCentre() {
        // 16x32 -> shorter side 8 -> 8x16 -> centre 6x6 at (1, 5); a vertical gradient shows where it came from.
        BufferedImage img = new BufferedImage(16, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, rgb(0, 8 * y, 0));
            }
        }
        BufferedImage crop = PREP.evalCrop(img);
        assertEquals(6, crop.getWidth());
        assertEquals(6, crop.getHeight());
        for (int y = 0; y < 6; y++) {
            // Resized row 5 + y averages source rows 2(5 + y) and 2(5 + y) + 1.
            double green = 8 * (2 * (5 + y) + 0.5);
            assertEquals(green, (crop.getRGB(3, y) >> 8) & 0xff, 1.0, "row " + y);
        }
        assertEquals(3 * 6 * 6, PREP.evalTransform(img).length);
    }
}
