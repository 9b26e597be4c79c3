package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.ImagePreprocessing;
import dev.nabla.io.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prediction grid: a PNG of the expected size, wrong predictions framed in red, written atomically. */
class PredictionGridTest {
    @Test
    void writesAPngGridWithWrongPredictionsFramedInRed(@TempDir Path tmp) throws Exception {
        ImagePreprocessing prep = dev.nabla.models.MobileNetV2.PREPROCESSING;
        Path ant = TestData.file("hymenoptera_data/val/ants/10308379_1b6c72e180.jpg");
        Path bee = TestData.file("hymenoptera_data/val/bees/10870992_eebeeb3a12.jpg");
        List<PredictionGrid.Item> items = List.of(
                new PredictionGrid.Item(ant, 0, 0),
                new PredictionGrid.Item(bee, 0, 1),                     // wrong
                new PredictionGrid.Item(tmp.resolve("gone.jpg"), 1, 1)); // a grey tile, not a failure
        Path png = tmp.resolve("out/predictions.png");

        PredictionGrid.write(png, items, List.of("ants", "bees"), prep, 2, "run-42");
        assertEquals("run-42", Pngs.runId(png), "the PNG carries the run's id");

        BufferedImage img = ImageIO.read(png.toFile());
        int cellW = 224 + 2 * PredictionGrid.PAD;
        int cellH = 224 + PredictionGrid.TITLE_HEIGHT + 2 * PredictionGrid.PAD;
        assertEquals(2 * cellW, img.getWidth());
        assertEquals(2 * cellH, img.getHeight());
        assertEquals(0xffffff, img.getRGB(1, 1) & 0xffffff, "a right prediction has no frame");
        int frame = img.getRGB(cellW + 1, 1);
        assertTrue(((frame >> 16) & 0xff) > 180 && ((frame >> 8) & 0xff) < 60, "red frame: " + Integer.toHexString(frame));
        // The tile is the evaluation crop itself.
        BufferedImage crop = prep.evalCrop(ImagePreprocessing.decode(ant));
        int top = PredictionGrid.PAD + PredictionGrid.TITLE_HEIGHT;
        assertEquals(crop.getRGB(100, 50), img.getRGB(PredictionGrid.PAD + 100, top + 50));
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no temporary file left behind");
        }
    }
}
