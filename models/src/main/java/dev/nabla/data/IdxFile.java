package dev.nabla.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
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
    /** Deflate's greatest expansion, about 1032:1 (a stored length of 258 per 2-bit code), rounded up. */
    private static final long MAX_DEFLATE_RATIO = 1100;
    /** The longest Java array that every JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Data is read in pieces of at most this many bytes, so memory grows with what the file holds, not its claim. */
    private static final int CHUNK = 1 << 20;

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
        int headerLength = images ? 16 : 8;
        if (images) {
            ByteBuffer dims = ByteBuffer.wrap(readHeader(8, 16));
            int rows = dims.getInt();
            int cols = dims.getInt();
            if (rows != SIDE || cols != SIDE) {
                throw new IOException(file + ": images are " + rows + "x" + cols + " but MNIST's are 28x28");
            }
        }
        checkClaimedSize(headerLength);
        bytesRead = 0; // from here on it counts data bytes only
    }

    /**
     * Compares the data size the header claims with what the file can hold, before anything is allocated for it: a
     * plain file must hold that much after its header; a gzipped one cannot unpack to more than deflate's ratio
     * allows. (Data beyond the claim is found by {@link #expectEnd}.)
     */
    private void checkClaimedSize(int headerLength) throws IOException {
        long claimed = (long) count * itemBytes;
        long onDisk = Files.size(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            long most = MAX_DEFLATE_RATIO * onDisk;
            if (claimed + headerLength > most) {
                throw new IOException(String.format(Locale.ROOT, "%s: truncated or the header is damaged: the header"
                        + " announces %d %s (%d bytes of data) but a gzip file of %d bytes unpacks to at most %d",
                        file, count, itemName, claimed, onDisk, most));
            }
        } else if (claimed > onDisk - headerLength) {
            throw truncated(onDisk - headerLength);
        }
        if (claimed > MAX_ARRAY) {
            throw new IOException(file + ": the header announces " + count + " " + itemName + " (" + claimed
                    + " bytes), more than one Java array holds");
        }
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
        if (Files.size(file) == 0) {
            throw new IOException(file + ": empty (0 bytes), not a gzip file; download it again");
        }
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: the file ends inside the gzip header ("
                    + Files.size(file) + " bytes); download it again", e);
        } catch (IOException e) {
            throw new IOException(file + ": not a valid gzip file (" + e.getMessage()
                    + "); an uncompressed IDX file must not be named .gz", e);
        }
    }

    /** Reads the next {@code length} bytes of the header, which is {@code headerLength} bytes in all. */
    private byte[] readHeader(int length, int headerLength) throws IOException {
        byte[] header = new byte[length];
        if (fill(header, 0, length) < length) {
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
        long wanted = (long) items * itemBytes;
        if (wanted > MAX_ARRAY) {
            throw new IOException(file + ": " + items + " " + itemName + " are more than one Java array holds");
        }
        byte[] bytes = new byte[(int) Math.min(wanted, CHUNK)];
        int filled = 0;
        while (filled < wanted) {
            if (filled == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, 2L * bytes.length));
            }
            int got = fill(bytes, filled, bytes.length - filled);
            if (got == 0) {
                throw truncated();
            }
            filled += got;
        }
        return bytes;
    }

    /** Skips the next {@code items} items, still failing clearly when the file ends before them. */
    void skip(int items) throws IOException {
        byte[] scratch = new byte[1 << 16];
        for (long left = (long) items * itemBytes; left > 0; ) {
            int chunk = (int) Math.min(left, scratch.length);
            if (fill(scratch, 0, chunk) < chunk) {
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
        if (fill(new byte[1], 0, 1) > 0) {
            throw new IOException(file + ": more data follows the " + count + " " + itemName
                    + " its header announces; the file is damaged or not the one expected");
        }
    }

    private IOException truncated() {
        return truncated(bytesRead);
    }

    private IOException truncated(long dataBytes) {
        return new IOException(file + ": truncated: the header announces " + count + " " + itemName + " ("
                + (long) count * itemBytes + " bytes of data) but the data ends after " + dataBytes + " bytes");
    }

    /** Reads up to {@code length} bytes, fewer only at the end; a damaged gzip stream is an error naming the file. */
    private int fill(byte[] buffer, int offset, int length) throws IOException {
        int got;
        try {
            got = in.readNBytes(buffer, offset, length);
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
