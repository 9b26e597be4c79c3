package dev.nabla.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image files made in memory for the decoding tests and as fuzzing seeds. */
final class TestImages {
    private TestImages() {
    }

    /** How the four channels of {@link #fourChannelJpeg} are stored and labelled. */
    enum FourChannels {
        /** Adobe CMYK (APP14 transform 0), inverted as Photoshop stores it. */
        ADOBE_CMYK,
        /** Adobe YCCK (APP14 transform 2): the inverted C, M, Y as YCbCr, and K. */
        ADOBE_YCCK,
        /** Plain CMYK values with no Adobe marker: the JDK's reader decodes this all black. */
        UNLABELLED
    }

    /** A 64 x 48 four-channel JPEG whose left half is red (no cyan, full magenta and yellow) and right half blue. */
    static byte[] fourChannelJpeg(FourChannels kind) throws IOException {
        int w = 64;
        int h = 48;
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] cmyk = x < w / 2 ? new int[] {0, 255, 255, 0} : new int[] {255, 255, 0, 0};
                r.setPixel(x, y, kind == FourChannels.UNLABELLED ? cmyk : adobe(cmyk, kind == FourChannels.ADOBE_YCCK));
            }
        }
        byte[] jpeg = writeRasterJpeg(r);
        if (kind == FourChannels.UNLABELLED) {
            return jpeg;
        }
        // The JDK's writer adds no APP14 for a raster, so it is inserted after SOI by hand.
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0,
            (byte) (kind == FourChannels.ADOBE_YCCK ? 2 : 0)};
        return ByteBuffer.allocate(jpeg.length + app14.length).put(jpeg, 0, 2).put(app14).put(jpeg, 2, jpeg.length - 2)
                .array();
    }

    /** Adobe's stored form of a CMYK pixel: inverted, and for YCCK the inverted C, M, Y converted as RGB to YCbCr. */
    private static int[] adobe(int[] cmyk, boolean ycck) {
        int[] inv = {255 - cmyk[0], 255 - cmyk[1], 255 - cmyk[2], 255 - cmyk[3]};
        if (!ycck) {
            return inv;
        }
        double r = 255 - inv[0];
        double g = 255 - inv[1];
        double b = 255 - inv[2];
        return new int[] {clamp(0.299 * r + 0.587 * g + 0.114 * b), clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
            clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b), inv[3]};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static byte[] writeRasterJpeg(Raster r) throws IOException {
        // The JDK's own writer, which writes the raster's channels as they are and adds no colour marker.
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.sun.") && candidate.canWriteRasters()) {
                writer = candidate;
            }
        }
        if (writer == null) {
            throw new IOException("no JPEG writer that writes rasters");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, null), null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** An RGB image encoded as {@code format}: a gradient, so that JPEG data is not trivial. */
    static byte[] encoded(String format, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | (x + y) % 256);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, bytes)) {
            throw new IOException("no writer for " + format);
        }
        return bytes.toByteArray();
    }

    /**
     * A 1 x 1 PNG whose header is changed to claim {@code width x height} pixels (with a valid checksum): what a
     * decoder allocates before it finds that the data is missing.
     */
    static byte[] pngClaiming(int width, int height) throws IOException {
        byte[] png = encoded("png", 1, 1);
        ByteBuffer b = ByteBuffer.wrap(png);
        int ihdr = 8; // after the signature: length (4), "IHDR" (4), width, height, ...
        b.putInt(ihdr + 8, width).putInt(ihdr + 12, height);
        CRC32 crc = new CRC32();
        crc.update(png, ihdr + 4, 4 + 13);
        b.putInt(ihdr + 8 + 13, (int) crc.getValue());
        return png;
    }
}
