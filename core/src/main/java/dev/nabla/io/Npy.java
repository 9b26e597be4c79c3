package dev.nabla.io;

import dev.nabla.Shape;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads and writes NumPy {@code .npy} files with the JDK alone.
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0 in C order with dtypes {@code <f4 <f8 <i4 <i8} (and their
 * big-endian {@code >} forms), {@code |u1} and {@code |b1}. Writes little-endian f4, f8, i4 and i8 the way
 * {@code numpy.save} does (version 1.0 header padded to 64 bytes; 2.0 only for headers too long for 1.0),
 * atomically. Every error names the file and what was wrong with it.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">the format</a>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy.save pads the header so the data starts on this boundary. */
    private static final int ALIGNMENT = 64;
    private static final Set<String> HEADER_KEYS = Set.of("descr", "fortran_order", "shape");

    private Npy() {
    }

    /** The element types this class reads; the byte order comes from the dtype string's first character. */
    private enum Type {
        F4("f4", 4), F8("f8", 8), I4("i4", 4), I8("i8", 8), U1("u1", 1), B1("b1", 1);

        final String code;
        final int bytes;

        Type(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** The type of a dtype string, or null for one this class does not read. */
        static Type of(String descr) {
            String order = descr.isEmpty() ? "" : descr.substring(0, 1);
            for (Type t : values()) {
                boolean orderOk = t.bytes == 1 ? order.equals("|") : order.equals("<") || order.equals(">");
                if (orderOk && descr.substring(1).equals(t.code)) {
                    return t;
                }
            }
            return null;
        }

        Object decode(ByteBuffer body, int count) {
            switch (this) {
                case F4: {
                    float[] a = new float[count];
                    body.asFloatBuffer().get(a);
                    return a;
                }
                case F8: {
                    double[] a = new double[count];
                    body.asDoubleBuffer().get(a);
                    return a;
                }
                case I4: {
                    int[] a = new int[count];
                    body.asIntBuffer().get(a);
                    return a;
                }
                case I8: {
                    long[] a = new long[count];
                    body.asLongBuffer().get(a);
                    return a;
                }
                case U1:
                    return body.array();
                default: {
                    boolean[] a = new boolean[count];
                    byte[] raw = body.array();
                    for (int i = 0; i < count; i++) {
                        a[i] = raw[i] != 0;
                    }
                    return a;
                }
            }
        }
    }

    /** Reads a whole .npy file. */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            ByteBuffer preamble = readExactly(channel, file, 8, "the magic string and version");
            byte[] magic = new byte[MAGIC.length];
            preamble.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw bad(file, "not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
            int major = preamble.get();
            int minor = preamble.get();
            if (major < 1 || major > 3 || minor != 0) {
                throw bad(file, "unsupported .npy format version " + major + "." + minor + " (reads 1.0, 2.0, 3.0)");
            }
            int lengthBytes = major == 1 ? 2 : 4;
            ByteBuffer lengthField = readExactly(channel, file, lengthBytes, "the header length");
            long headerLength = major == 1 ? Short.toUnsignedInt(lengthField.getShort())
                    : Integer.toUnsignedLong(lengthField.getInt());
            if (headerLength > fileSize - channel.position()) {
                throw bad(file, "truncated: the header length field says " + headerLength + " bytes but only "
                        + (fileSize - channel.position()) + " follow it");
            }
            byte[] headerBytes = readExactly(channel, file, (int) headerLength, "the header").array();
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            return readBody(channel, file, header, fileSize - channel.position());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such .npy file");
        }
    }

    private static NpyArray readBody(FileChannel channel, Path file, String header, long present) throws IOException {
        Map<String, Object> dict;
        try {
            dict = new HeaderParser(header).parse();
        } catch (IllegalArgumentException e) {
            throw bad(file, "header does not parse: " + e.getMessage() + " in " + header.strip());
        }
        if (!dict.keySet().equals(HEADER_KEYS)) {
            throw bad(file, "header must have exactly the keys " + HEADER_KEYS + " but has " + dict.keySet());
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw bad(file, "header's 'descr' is not a string (structured dtypes are not supported): " + header.strip());
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw bad(file, "header's 'fortran_order' is not True or False: " + header.strip());
        }
        if (!(dict.get("shape") instanceof int[] dims)) {
            throw bad(file, "header's 'shape' is not a tuple of integers: " + header.strip());
        }
        Type type = Type.of(descr);
        if (type == null) {
            throw bad(file, "unsupported dtype '" + descr + "' (reads <f4 <f8 <i4 <i8, their > forms, |u1, |b1)");
        }
        if (fortranOrder) {
            throw bad(file, "fortran_order is True; only C-order arrays are supported (save with np.ascontiguousarray)");
        }
        Shape shape = Shape.of(dims);
        long expected = type.bytes;
        try {
            for (int d : dims) {
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw bad(file, "shape " + shape + " is too large to be real");
        }
        if (present < expected) {
            throw bad(file, "truncated: shape " + shape + " of '" + descr + "' needs " + expected
                    + " bytes of data but only " + present + " are present");
        }
        if (present > expected) {
            throw bad(file, "shape " + shape + " of '" + descr + "' needs " + expected + " bytes of data but "
                    + present + " are present; the shape does not match the data");
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw bad(file, "shape " + shape + " of '" + descr + "' is too large for one Java array");
        }
        ByteBuffer body = readExactly(channel, file, (int) expected, "the data");
        body.order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return new NpyArray(shape, descr, type.decode(body, shape.intSize()));
    }

    /** Writes float32 values ({@code <f4}) of the given shape. */
    public static void write(Path file, Shape shape, float[] data) throws IOException {
        write(file, shape, "<f4", data.length, 4, body -> body.asFloatBuffer().put(data));
    }

    /** Writes float64 values ({@code <f8}) of the given shape. */
    public static void write(Path file, Shape shape, double[] data) throws IOException {
        write(file, shape, "<f8", data.length, 8, body -> body.asDoubleBuffer().put(data));
    }

    /** Writes int32 values ({@code <i4}) of the given shape. */
    public static void write(Path file, Shape shape, int[] data) throws IOException {
        write(file, shape, "<i4", data.length, 4, body -> body.asIntBuffer().put(data));
    }

    /** Writes int64 values ({@code <i8}) of the given shape. */
    public static void write(Path file, Shape shape, long[] data) throws IOException {
        write(file, shape, "<i8", data.length, 8, body -> body.asLongBuffer().put(data));
    }

    private static void write(Path file, Shape shape, String descr, int count, int itemBytes,
                              Consumer<ByteBuffer> fill) throws IOException {
        if (shape.size() != count) {
            throw new IllegalArgumentException(file + ": shape " + shape + " holds " + shape.size()
                    + " values but the data has " + count);
        }
        byte[] header = header(descr, shape);
        ByteBuffer body = ByteBuffer.allocate(Math.multiplyExact(count, itemBytes)).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(body);
        AtomicFile.write(file, out -> {
            out.write(header);
            out.write(body.array());
        });
    }

    /** Magic, version, header length and the padded header dictionary, exactly as numpy.save writes them. */
    private static byte[] header(String descr, Shape shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int major = 1;
        int preamble = 10;
        if (padded(dict, preamble).length() > 0xFFFF) {
            major = 2;
            preamble = 12;
        }
        byte[] text = padded(dict, preamble).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(preamble + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).array();
    }

    /** The dictionary padded with spaces and a final newline so the data starts on the alignment boundary. */
    private static String padded(String dict, int preamble) {
        int unpadded = preamble + dict.length() + 1;
        return dict + " ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT) + "\n";
    }

    private static ByteBuffer readExactly(FileChannel channel, Path file, int length, String what) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException(file + ": truncated: " + what + " needs " + length + " bytes but only "
                        + buffer.position() + " are present");
            }
        }
        return buffer.flip();
    }

    private static IOException bad(Path file, String what) {
        return new IOException(file + ": " + what);
    }

    /**
     * Parses the header's Python dictionary literal: string keys; values that are strings, True/False, or
     * tuples of integers. That is all a .npy header holds for the dtypes read here.
     */
    private static final class HeaderParser {
        private final String text;
        private int pos;

        HeaderParser(String text) {
            this.text = text;
        }

        Map<String, Object> parse() {
            Map<String, Object> dict = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                if (dict.put(key, value()) != null) {
                    throw error("key '" + key + "' appears twice");
                }
                if (peek() != '}') {
                    expect(',');
                }
            }
            expect('}');
            if (peek() != 0) {
                throw error("unexpected text after the dictionary");
            }
            return dict;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("expected a string, True, False or a tuple");
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private int[] tuple() {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (peek() != ')') {
                dims.add(integer());
                if (peek() != ')') {
                    expect(',');
                }
            }
            expect(')');
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private int integer() {
            peek();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a non-negative integer");
            }
            String digits = text.substring(start, pos);
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++; // Python 2's long suffix, found in files written long ago
            }
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw error("dimension " + digits + " is too large");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** Skips whitespace and returns the next character, or 0 at the end. */
        private char peek() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + pos);
        }
    }
}
