package dev.nabla.apps;

import dev.nabla.data.ImagePreprocessing;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The course's {@code visualize_model}: a PNG grid of images, each as the network saw it at evaluation (the
 * centre crop, before normalisation) under a title "pred: X / true: Y"; a wrong prediction gets a red title and a
 * red frame. An image that can no longer be decoded becomes a grey tile naming the problem, so a finished run
 * never fails on its picture.
 */
final class PredictionGrid {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionGrid.class);

    /** Height of the title strip above each tile, in pixels. */
    static final int TITLE_HEIGHT = 22;
    /** Margin around each tile, in pixels; the red frame of a wrong prediction is drawn in it. */
    static final int PAD = 4;

    private static final Color WRONG = new Color(0xD0, 0x10, 0x10);
    private static final Color RIGHT = new Color(0x10, 0x60, 0x20);

    /** One image with the class the network predicted and the true one (indices into the class names). */
    record Item(Path image, int predicted, int actual) {
    }

    private PredictionGrid() {
    }

    /**
     * Draws {@code items} row by row, {@code columns} per row, each tile the {@code prep} evaluation crop, and writes
     * the PNG to {@code file} atomically, carrying {@code runId}. The picture is {@code columns * (cropWidth + 2 PAD)}
     * wide and {@code rows * (cropHeight + TITLE_HEIGHT + 2 PAD)} high.
     */
    static void write(Path file, List<Item> items, List<String> classNames, ImagePreprocessing prep, int columns,
                      String runId) throws IOException {
        Pngs.write(file, render(items, classNames, prep, columns), runId);
    }

    /** The grid as an image (see {@link #write}). */
    static BufferedImage render(List<Item> items, List<String> classNames, ImagePreprocessing prep, int columns) {
        if (items.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("PredictionGrid: " + items.size() + " images in " + columns
                    + " columns; need at least one of each");
        }
        int tileW = prep.cropWidth();
        int tileH = prep.cropHeight();
        int cellW = tileW + 2 * PAD;
        int cellH = tileH + TITLE_HEIGHT + 2 * PAD;
        int cols = Math.min(columns, items.size());
        int rows = (items.size() + cols - 1) / cols;
        BufferedImage grid = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                int x = (i % cols) * cellW;
                int y = (i / cols) * cellH;
                boolean wrong = item.predicted() != item.actual();
                String title = "pred: " + name(classNames, item.predicted()) + " / true: "
                        + name(classNames, item.actual());
                drawTitle(g, title, wrong ? WRONG : RIGHT, x + PAD, y + PAD, tileW);
                drawTile(g, item.image(), prep, x + PAD, y + PAD + TITLE_HEIGHT, tileW, tileH);
                if (wrong) {
                    g.setColor(WRONG);
                    g.setStroke(new BasicStroke(PAD));
                    // The stroke is centred on the rectangle: this fills the cell's margin.
                    g.drawRect(x + PAD / 2, y + PAD / 2, cellW - PAD, cellH - PAD);
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    private static String name(List<String> classNames, int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : "#" + label;
    }

    private static void drawTitle(Graphics2D g, String title, Color color, int x, int y, int width) {
        FontMetrics fm = g.getFontMetrics();
        String shown = title;
        while (fm.stringWidth(shown) > width && shown.length() > 4) {
            shown = shown.substring(0, shown.length() - 4) + "...";  // long class names: cut, keep the line
        }
        g.setColor(color);
        g.drawString(shown, x + (width - fm.stringWidth(shown)) / 2, y + (TITLE_HEIGHT + fm.getAscent()) / 2 - 2);
    }

    private static void drawTile(Graphics2D g, Path image, ImagePreprocessing prep, int x, int y, int w, int h) {
        try {
            g.drawImage(prep.evalCrop(ImagePreprocessing.decode(image)), x, y, null);
        } catch (IOException e) {
            LOG.warn("prediction grid: {}", e.getMessage());
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(x, y, w, h);
            g.setColor(Color.DARK_GRAY);
            g.drawString("cannot decode", x + 8, y + h / 2);
        }
    }
}
