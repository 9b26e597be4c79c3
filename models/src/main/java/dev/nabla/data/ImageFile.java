package dev.nabla.data;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding one image file with ImageIO (and the TwelveMonkeys JPEG reader it finds on the class path, which reads
 * CMYK and YCCK JPEGs with their ICC profiles), refusing by path what would otherwise be decoded wrongly or not
 * at all: a header whose pixel count exceeds {@link ImagePreprocessing#MAX_PIXELS} (checked before any pixel is
 * allocated), a 4-channel JPEG without the Adobe marker that says whether it is CMYK or YCCK, and data that ends
 * early. Other decoder warnings are logged with the path, and the image is used.
 */
final class ImageFile {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFile.class);

    private ImageFile() {
    }

    /** An error of ours, already naming the file: passed on as it is, not wrapped as a decoder failure. */
    private static final class Refused extends IOException {
        Refused(Path file, String what) {
            super(file + ": " + what);
        }
    }

    /** The decoded image; every failure is an IOException whose message starts with the path. */
    static BufferedImage decode(Path file) throws IOException {
        return read(file, true);
    }

    /** Checks what {@link #decode} checks before decoding pixels; a failure's message starts with the path. */
    static void checkHeader(Path file) throws IOException {
        read(file, false);
    }

    private static BufferedImage read(Path file, boolean pixels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new Refused(file, "cannot be opened as an image");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new Refused(file, "not an image format Java can decode (JPEG, PNG, GIF, BMP, TIFF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkSize(file, reader.getWidth(0), reader.getHeight(0));
                if (isUnlabelledFourChannelJpeg(file)) {
                    throw new Refused(file, "a JPEG of 4 channels without the Adobe marker that says whether they are"
                            + " CMYK or YCCK, so its colours would be a guess; save it as an RGB JPEG");
                }
                if (!pixels) {
                    return null;
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                for (String w : warnings) {
                    // libjpeg fills what is missing with grey and carries on; that is not the picture.
                    if (w.toLowerCase(Locale.ROOT).contains("premature end")) {
                        throw new Refused(file, "the image data ends early (the decoder says: "
                                + String.join("; ", warnings) + "); the file is truncated or damaged");
                    }
                }
                warnings.forEach(w -> LOG.warn("{}: {} (decoded all the same)", file, w));
                return img;
            } finally {
                reader.dispose();
            }
        } catch (Refused e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot decode the image (" + describe(e) + ")", e);
        }
    }

    private static void checkSize(Path file, int width, int height) throws Refused {
        if (width <= 0 || height <= 0) {
            throw new Refused(file, "empty image (" + width + " x " + height + " pixels)");
        }
        long count = (long) width * height;
        if (count > ImagePreprocessing.MAX_PIXELS) {
            throw new Refused(file, String.format(Locale.ROOT, "its header says %,d x %,d = %,d pixels, more than the"
                    + " %,d this program decodes (Pillow's limit against decompression bombs); shrink it first",
                    width, height, count, ImagePreprocessing.MAX_PIXELS));
        }
    }

    /**
     * Whether {@code file} is a JPEG whose frame has 4 components and no Adobe APP14 segment before it. Readers
     * can only guess those channels' meaning, and guess differently: the JDK's reads them as inverted CMYK (a
     * plain CMYK file comes out all black), TwelveMonkeys' as YCbCr with alpha.
     */
    private static boolean isUnlabelledFourChannelJpeg(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readUnsignedShort() != 0xFFD8) {
                return false;
            }
            boolean adobe = false;
            while (true) {
                if (in.readUnsignedByte() != 0xFF) {
                    return false; // not at a marker: the decoder reports what is wrong
                }
                int marker = in.readUnsignedByte();
                while (marker == 0xFF) {
                    marker = in.readUnsignedByte(); // fill bytes
                }
                if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                    continue; // markers without a length
                }
                if (marker == 0xD9 || marker == 0xDA) {
                    return false; // the image ends or its data begins before any frame header
                }
                int length = in.readUnsignedShort() - 2;
                if (length < 0) {
                    return false;
                }
                if (isStartOfFrame(marker)) {
                    in.skipNBytes(5); // precision, height, width
                    return in.readUnsignedByte() == 4 && !adobe;
                }
                if (marker == 0xEE && length >= 5) {
                    byte[] id = in.readNBytes(5);
                    adobe |= new String(id, StandardCharsets.ISO_8859_1).equals("Adobe");
                    length -= 5;
                }
                in.skipNBytes(length);
            }
        } catch (EOFException e) {
            return false; // a header cut short is the decoder's to report
        }
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
