package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scanning class folders: classes, labels, order, files left out by path, clear errors; and the real set. */
class ImageFolderTest {
    static Path image(Path file, String format) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x336699);
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    @Test
    void classesAreSortedFolderNamesAndImagesAreLabelledByFolder(@TempDir Path root) throws IOException {
        Path b1 = image(root.resolve("bees/b1.png"), "png");
        Path b0 = image(root.resolve("bees/nested/a0.gif"), "gif");
        Path a2 = image(root.resolve("ants/z.JPG"), "jpg");
        Path a1 = image(root.resolve("ants/m.bmp"), "bmp");
        Files.writeString(root.resolve("ants/notes.txt"), "ignored, as torchvision ignores it");
        image(root.resolve(".ipynb_checkpoints/x.png"), "png");
        Path bad = Files.writeString(root.resolve("bees/broken.jpg"), "an HTML error page saved as .jpg");
        Path webp = Files.writeString(root.resolve("ants/photo.webp"), "RIFF");

        ImageFolder f = ImageFolder.scan(root);

        assertEquals(List.of("ants", "bees"), f.classes());
        assertEquals(List.of(new ImageFolder.Sample(a1, 0), new ImageFolder.Sample(a2, 0),
                new ImageFolder.Sample(b1, 1), new ImageFolder.Sample(b0, 1)), f.samples());
        assertEquals(4, f.size());
        assertArrayEquals(new int[] {2, 2}, f.classCounts());
        assertEquals(List.of(webp, bad), f.skipped().stream().map(ImageFolder.Skipped::path).toList());
        assertTrue(f.skipped().get(1).reason().contains("not an image format"), f.skipped().get(1).reason());
    }

    @Test
    void imagesThatDecodeWouldRefuseAreSkippedWithItsReason(@TempDir Path root) throws IOException {
        Path ok = image(root.resolve("ants/a.png"), "png");
        Path bomb = Files.write(root.resolve("ants/bomb.png"), TestImages.pngClaiming(40_000, 40_000));
        Path cmyk = Files.write(root.resolve("ants/cmyk.jpg"),
                TestImages.fourChannelJpeg(TestImages.FourChannels.UNLABELLED));

        ImageFolder f = ImageFolder.scan(root);

        assertEquals(List.of(new ImageFolder.Sample(ok, 0)), f.samples());
        assertEquals(List.of(bomb, cmyk), f.skipped().stream().map(ImageFolder.Skipped::path).toList());
        assertTrue(f.skipped().get(0).reason().startsWith("its header says 40,000 x 40,000"), f.skipped().get(0).reason());
        assertTrue(f.skipped().get(1).reason().startsWith("a JPEG of 4 channels"), f.skipped().get(1).reason());
    }

    @Test
    void aMissingOrEmptyFolderIsAClearError(@TempDir Path root) throws IOException {
        Path missing = root.resolve("nowhere");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ImageFolder.scan(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        IOException noClasses = assertThrows(IOException.class, () -> ImageFolder.scan(root));
        assertTrue(noClasses.getMessage().contains("no class sub-folders"), noClasses.getMessage());

        image(root.resolve("ants/a.png"), "png");
        Files.createDirectories(root.resolve("bees"));
        Files.writeString(root.resolve("bees/b.jpg"), "garbage");
        IOException noImages = assertThrows(IOException.class, () -> ImageFolder.scan(root));
        assertTrue(noImages.getMessage().contains("[bees]") && noImages.getMessage().contains("b.jpg"),
                noImages.getMessage());
    }

    @Test
    void hymenopteraHasItsCountsPerClassAndSplitAndTheGifDecodes() throws IOException {
        Path data = TestData.file("hymenoptera_data");
        ImageFolder train = ImageFolder.scan(data.resolve("train"));
        ImageFolder val = ImageFolder.scan(data.resolve("val"));
        assertEquals(List.of("ants", "bees"), train.classes());
        assertEquals(List.of("ants", "bees"), val.classes());
        // 124 ants including the GIF (torchvision, which takes no .gif, counts 123 and 244 in all).
        assertArrayEquals(new int[] {124, 121}, train.classCounts());
        assertArrayEquals(new int[] {70, 83}, val.classCounts());
        assertEquals(List.of(), train.skipped());
        assertEquals(List.of(), val.skipped());

        Path gif = data.resolve("train/ants/imageNotFound.gif");
        assertTrue(train.samples().contains(new ImageFolder.Sample(gif, 0)));
        BufferedImage img = ImagePreprocessing.decode(gif);
        assertEquals(300, img.getWidth());
        assertEquals(300, img.getHeight());
        ImagePreprocessing prep = dev.nabla.models.MobileNetV2.PREPROCESSING;
        float[] x = prep.evalTransform(img);
        assertEquals(3 * 224 * 224, x.length);
        for (float v : x) {
            assertTrue(Float.isFinite(v) && Math.abs(v) < 3, "normalised value " + v);
        }
    }
}
