package dev.nabla.apps;

import dev.nabla.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** PNG files that carry the id of the run that wrote them, as a {@code tEXt} chunk (keyword {@value #KEY}). */
final class Pngs {
    /** The tEXt keyword of the run id. */
    static final String KEY = "nabla-run-id";
    private static final String FORMAT = "javax_imageio_png_1.0";

    private Pngs() {
    }

    /** Writes {@code image} to {@code file} (atomically) with {@code runId} in its metadata. */
    static void write(Path file, BufferedImage image, String runId) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
        entry.setAttribute("keyword", KEY);
        entry.setAttribute("value", runId);
        text.appendChild(entry);
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        root.appendChild(text);
        meta.mergeTree(FORMAT, root);
        try {
            AtomicFile.write(file, out -> {
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(ios);
                    writer.write(new IIOImage(image, null, meta));
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /** The run id a PNG written here carries, or null. */
    static String runId(Path file) throws IOException {
        try (ImageInputStreamHolder in = new ImageInputStreamHolder(file)) {
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in.stream);
            if (!readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader r = readers.next();
            r.setInput(in.stream);
            IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(0).getAsTree(FORMAT);
            var entries = root.getElementsByTagName("tEXtEntry");
            for (int i = 0; i < entries.getLength(); i++) {
                IIOMetadataNode e = (IIOMetadataNode) entries.item(i);
                if (KEY.equals(e.getAttribute("keyword"))) {
                    return e.getAttribute("value");
                }
            }
            return null;
        }
    }

    private static final class ImageInputStreamHolder implements AutoCloseable {
        final javax.imageio.stream.ImageInputStream stream;

        ImageInputStreamHolder(Path file) throws IOException {
            stream = ImageIO.createImageInputStream(file.toFile());
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
