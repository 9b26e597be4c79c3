package dev.nabla.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * One MNIST IDX file opened for reading, gzipped or not: its big-endian header checked on opening, then its
 * unsigned-byte items read in order. Every error names the file and says what was wrong.
 */
final class IdxFile implements Closeable {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;
    static final int SIDE = 28;
    private static final int GZIP_MAGIC = 0x1f8b;

    private final Path file;
    private final InputStream in;
    private final String itemName;
    private final int itemBytes;
    /** Items announced by the header. */
    final int count;
    private long bytesRead;

    private IdxFile(Path file, InputStream in, int magic) throws IOException {
        this.file = file;
        this.in = in;
        boolean images = magic == IMAGES_MAGIC;
        this.itemName = images ? "images" : "labels";
        this.itemBytes = images ? SIDE * SIDE : 1;
        ByteBuffer header = ByteBuffer.wrap(readHeader(8, images ? 16 : 8));
        int found = header.getInt();
        if (found != magic) {
            throw new IOException(file + ": magic number " + found + " where an IDX " + itemName + " file has "
                    + magic + whatItIs(found));
        }
        this.count = header.getInt();
        if (count < 0) {
            throw new IOException(file + ": the header announces a negative count, " + count);
        }
        if (images) {
            ByteBuffer dims = ByteBuffer.wrap(readHeader(8, 16));
            int rows = dims.getInt();
            int cols = dims.getInt();
            if (rows != SIDE || cols != SIDE) {
                throw new IOException(file + ": images are " + rows + "x" + cols + " but MNIST's are 28x28");
            }
        }
        bytesRead = 0; // from here on it counts data bytes only
    }

    /** Opens an images file: magic 2051, then count, rows and columns, which must be 28 and 28. */
    static IdxFile images(Path file) throws IOException {
        return open(file, IMAGES_MAGIC);
    }

    /** Opens a labels file: magic 2049, then count. */
    static IdxFile labels(Path file) throws IOException {
        return open(file, LABELS_MAGIC);
    }

    private static IdxFile open(Path file, int magic) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = gunzipped(file, in);
            } else {
                in = new BufferedInputStream(in, 1 << 16);
            }
            return new IdxFile(file, in, magic);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static InputStream gunzipped(Path file, InputStream in) throws IOException {
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (IOException e) {
            throw new IOException(file + ": not a valid gzip file (" + e.getMessage()
                    + "); an uncompressed IDX file must not be named .gz", e);
        }
    }

    /** Reads the next {@code length} bytes of the header, which is {@code headerLength} bytes in all. */
    private byte[] readHeader(int length, int headerLength) throws IOException {
        byte[] header = new byte[length];
        if (fill(header, length) < length) {
            throw new IOException(file + ": truncated: the IDX header needs " + headerLength
                    + " bytes but the file has " + bytesRead);
        }
        return header;
    }

    /** A hint for a magic number that is not the one expected. */
    private static String whatItIs(int found) {
        if (found == IMAGES_MAGIC || found == LABELS_MAGIC) {
            return " (it is an IDX " + (found == IMAGES_MAGIC ? "images" : "labels") + " file: are two files swapped?)";
        }
        if (found >>> 16 == GZIP_MAGIC) {
            return " (the file is gzipped: its name should end in .gz)";
        }
        return " (not an MNIST IDX file)";
    }

    /** Reads the next {@code items} items, failing clearly when the file ends before them. */
    byte[] read(int items) throws IOException {
        byte[] bytes = new byte[Math.multiplyExact(items, itemBytes)];
        if (fill(bytes, bytes.length) < bytes.length) {
            throw truncated();
        }
        return bytes;
    }

    /** Skips the next {@code items} items, still failing clearly when the file ends before them. */
    void skip(int items) throws IOException {
        byte[] scratch = new byte[1 << 16];
        for (long left = (long) items * itemBytes; left > 0; ) {
            int chunk = (int) Math.min(left, scratch.length);
            if (fill(scratch, chunk) < chunk) {
                throw truncated();
            }
            left -= chunk;
        }
    }

    /** Fails unless every item announced has been read and nothing follows them. */
    void expectEnd() throws IOException {
        long expected = (long) count * itemBytes;
        if (bytesRead != expected) {
            throw new IllegalStateException(file + ": read " + bytesRead + " of " + expected + " bytes of " + itemName);
        }
        if (fill(new byte[1], 1) > 0) {
            throw new IOException(file + ": more data follows the " + count + " " + itemName
                    + " its header announces; the file is damaged or not the one expected");
        }
    }

    private IOException truncated() {
        return new IOException(file + ": truncated: the header announces " + count + " " + itemName + " ("
                + (long) count * itemBytes + " bytes of data) but the data ends after " + bytesRead + " bytes");
    }

    /** Reads up to {@code length} bytes, fewer only at the end; a damaged gzip stream is an error naming the file. */
    private int fill(byte[] buffer, int length) throws IOException {
        int got;
        try {
            got = in.readNBytes(buffer, 0, length);
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed file was cut short.
            throw new IOException(file + ": truncated: the gzip data ends early, after " + bytesRead
                    + " bytes of the " + itemName + " data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read, the file is damaged: " + e.getMessage(), e);
        }
        bytesRead += got;
        return got;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
