package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding refuses by path what it would otherwise decode wrongly, partly or at the cost of all memory. */
class ImageFileTest {
    private static void assertRedThenBlue(BufferedImage img) {
        int red = img.getRGB(5, 20);
        int blue = img.getRGB(58, 20);
        assertTrue((red >> 16 & 0xff) > 200 && (red >> 8 & 0xff) < 60 && (red & 0xff) < 60, Integer.toHexString(red));
        assertTrue((blue >> 16 & 0xff) < 60 && (blue >> 8 & 0xff) < 60 && (blue & 0xff) > 200,
                Integer.toHexString(blue));
    }

    @Test
    void adobeCmykAndYcckJpegsDecodeInTheirColoursThroughTheWholePipeline(@TempDir Path dir) throws IOException {
        for (TestImages.FourChannels kind : new TestImages.FourChannels[] {TestImages.FourChannels.ADOBE_CMYK,
            TestImages.FourChannels.ADOBE_YCCK}) {
            Path f = Files.write(dir.resolve(kind + ".jpg"), TestImages.fourChannelJpeg(kind));
            BufferedImage img = ImagePreprocessing.decode(f);
            assertRedThenBlue(img);
            // What the networks see: the evaluation crop (no resize at 64 x 48 -> 64 wide, 48 high).
            assertRedThenBlue(new ImagePreprocessing(48, 48, 64, new double[3], new double[] {1, 1, 1}).evalCrop(img));
        }
    }

    @Test
    void aFourChannelJpegWithoutItsColourMarkerIsRefusedByPath(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("cmyk.jpg"), TestImages.fourChannelJpeg(TestImages.FourChannels.UNLABELLED));
        IOException e = assertThrows(IOException.class, () -> ImagePreprocessing.decode(f));
        assertEquals(f + ": a JPEG of 4 channels without the Adobe marker that says whether they are CMYK or YCCK,"
                + " so its colours would be a guess; save it as an RGB JPEG", e.getMessage());
    }

    @Test
    void aTruncatedJpegIsRefusedRatherThanDecodedInPart(@TempDir Path dir) throws IOException {
        byte[] photo = Files.readAllBytes(TestData.file("hymenoptera_data/train/ants/0013035.jpg"));
        Path f = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(photo, photo.length / 2));
        IOException e = assertThrows(IOException.class, () -> ImagePreprocessing.decode(f));
        assertTrue(e.getMessage().startsWith(f + ": the image data ends early (the decoder says: "), e.getMessage());
        assertTrue(e.getMessage().contains("premature end of data segment"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the file is truncated or damaged"), e.getMessage());
        // The whole photo still decodes.
        assertEquals(768, ImagePreprocessing.decode(TestData.file("hymenoptera_data/train/ants/0013035.jpg")).getWidth());
    }

    @Test
    void aHeaderOfTooManyPixelsIsRefusedBeforeAnyPixelIsAllocated(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("bomb.png"), TestImages.pngClaiming(40_000, 40_000));
        // Without the check the decoder allocates 1.6 billion pixels before it finds the data missing.
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> ImagePreprocessing.decode(f)));
        assertEquals(f + ": its header says 40,000 x 40,000 = 1,600,000,000 pixels, more than the 89,478,485 this"
                + " program decodes (Pillow's limit against decompression bombs); shrink it first", e.getMessage());
        // One row more than the limit allows is refused too; the limit itself is only a number of pixels.
        Path wide = Files.write(dir.resolve("wide.png"), TestImages.pngClaiming(89_478_486, 1));
        assertTrue(assertThrows(IOException.class, () -> ImagePreprocessing.decode(wide)).getMessage()
                .contains("89,478,486 x 1 = 89,478,486 pixels"));
    }

    @Test
    void filesThatAreNotImagesAreNamed(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a picture");
        assertEquals(text + ": not an image format Java can decode (JPEG, PNG, GIF, BMP, TIFF)",
                assertThrows(IOException.class, () -> ImagePreprocessing.decode(text)).getMessage());
        byte[] png = TestImages.encoded("png", 20, 20);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length - 30));
        assertTrue(assertThrows(IOException.class, () -> ImagePreprocessing.decode(cut)).getMessage()
                .startsWith(cut + ": cannot decode the image ("));
    }
}
