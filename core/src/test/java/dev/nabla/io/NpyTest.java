package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    // ---- round trips -------------------------------------------------------------------------------------

    @Test
    void floatsRoundTripBitForBit() throws IOException {
        float[] values = {0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, Float.MAX_VALUE, -3.25e-7f, 42f, 1e30f, -1f};
        NpyArray read = roundTrip(Shape.of(3, 4), values, "<f4");
        assertArrayEquals(values, read.asFloats());
    }

    @Test
    void doublesRoundTripBitForBit() throws IOException {
        double[] values = {0, -0.0, Math.PI, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        NpyArray read = roundTrip(Shape.of(6), values, "<f8");
        assertArrayEquals(values, read.asDoubles());
    }

    @Test
    void intsRoundTrip() throws IOException {
        int[] values = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 7};
        NpyArray read = roundTrip(Shape.of(1, 2, 3), values, "<i4");
        assertArrayEquals(values, read.asInts());
    }

    @Test
    void longsRoundTrip() throws IOException {
        long[] values = {Long.MIN_VALUE, -1, 0, 1L << 40, Long.MAX_VALUE};
        NpyArray read = roundTrip(Shape.of(5), values, "<i8");
        assertArrayEquals(values, read.asLongs());
    }

    @Test
    void scalarAndEmptyShapesRoundTrip() throws IOException {
        assertArrayEquals(new float[] {2.5f}, roundTrip(Shape.of(), new float[] {2.5f}, "<f4").asFloats());
        assertArrayEquals(new int[0], roundTrip(Shape.of(0), new int[0], "<i4").asInts());
        assertArrayEquals(new double[0], roundTrip(Shape.of(2, 0, 3), new double[0], "<f8").asDoubles());
    }

    private NpyArray roundTrip(Shape shape, Object values, String descr) throws IOException {
        Path file = dir.resolve("a.npy");
        switch (descr) {
            case "<f4" -> Npy.write(file, shape, (float[]) values);
            case "<f8" -> Npy.write(file, shape, (double[]) values);
            case "<i4" -> Npy.write(file, shape, (int[]) values);
            default -> Npy.write(file, shape, (long[]) values);
        }
        NpyArray read = Npy.read(file);
        assertEquals(shape, read.shape());
        assertEquals(descr, read.descr());
        assertEquals(List.of(file), listDir(), "only the written file remains, no temporary file");
        return read;
    }

    @Test
    void writesTheHeaderNumpySaveWrites() throws IOException {
        Path file = dir.resolve("h.npy");
        Npy.write(file, Shape.of(2, 3), new float[6]);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        byte[] expected = npyFile(1, dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n", new byte[24]);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void overwritesAnExistingFile() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, Shape.of(3), new int[] {1, 2, 3});
        Npy.write(file, Shape.of(1), new int[] {9});
        assertArrayEquals(new int[] {9}, Npy.read(file).asInts());
        assertEquals(List.of(file), listDir());
    }

    // ---- files built by hand from the format's specification -------------------------------------------------

    @Test
    void readsAHandBuiltVersion1File() throws IOException {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        Path file = write("v1.npy", npyFile(1, header, le(16).putInt(1).putInt(-2).putInt(3).putInt(400).array()));
        NpyArray a = Npy.read(file);
        assertEquals(Shape.of(2, 2), a.shape());
        assertEquals("<i4", a.descr());
        assertArrayEquals(new int[] {1, -2, 3, 400}, a.asInts());
    }

    @Test
    void readsVersion2And3HeadersWithUnusualSpacing() throws IOException {
        byte[] body = le(16).putDouble(0.5).putDouble(-8).array();
        Path v2 = write("v2.npy", npyFile(2, "{\"descr\":\"<f8\",\"fortran_order\":False,\"shape\":(2,)}\n", body));
        assertArrayEquals(new double[] {0.5, -8}, Npy.read(v2).asDoubles());
        Path v3 = write("v3.npy", npyFile(3, "{ 'shape' : (1L, 2L) , 'descr' : '<f8' , 'fortran_order' : False }", body));
        assertEquals(Shape.of(1, 2), Npy.read(v3).shape());
    }

    @Test
    void readsBigEndianFiles() throws IOException {
        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f);
        assertArrayEquals(new float[] {1.5f, -2f}, Npy.read(write("f4.npy", file(">f4", "(2,)", f4.array()))).asFloats());
        ByteBuffer f8 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(Math.E);
        assertArrayEquals(new double[] {Math.E}, Npy.read(write("f8.npy", file(">f8", "(1,)", f8.array()))).asDoubles());
        ByteBuffer i4 = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(-123456);
        assertArrayEquals(new int[] {-123456}, Npy.read(write("i4.npy", file(">i4", "()", i4.array()))).asInts());
        ByteBuffer i8 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(1L << 50);
        NpyArray a = Npy.read(write("i8.npy", file(">i8", "(1, 1)", i8.array())));
        assertEquals(">i8", a.descr());
        assertArrayEquals(new long[] {1L << 50}, a.asLongs());
    }

    @Test
    void readsUnsignedBytesAndBooleans() throws IOException {
        NpyArray u1 = Npy.read(write("u1.npy", file("|u1", "(3,)", new byte[] {0, 7, (byte) 255})));
        assertArrayEquals(new int[] {0, 7, 255}, u1.asInts());
        assertArrayEquals(new float[] {0, 7, 255}, u1.asFloats());
        assertArrayEquals(new long[] {0, 7, 255}, u1.asLongs());
        NpyArray b1 = Npy.read(write("b1.npy", file("|b1", "(2, 2)", new byte[] {1, 0, 0, 1})));
        assertArrayEquals(new boolean[] {true, false, false, true}, (boolean[]) b1.data());
        assertArrayEquals(new double[] {1, 0, 0, 1}, b1.asDoubles());
    }

    @Test
    void convertsOnlyWithoutLoss() throws IOException {
        Path file = dir.resolve("f.npy");
        float[] values = {1.25f, 2};
        Npy.write(file, Shape.of(2), values);
        NpyArray a = Npy.read(file);
        assertSame(a.data(), a.asFloats(), "no copy when the type already matches");
        assertArrayEquals(new double[] {1.25, 2}, a.asDoubles());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::asInts);
        assertTrue(e.getMessage().contains("'<f4'") && e.getMessage().contains("asFloats()"), e.getMessage());

        NpyArray ints = new NpyArray(Shape.of(2), "<i4", new int[] {3, -4});
        assertArrayEquals(new long[] {3, -4}, ints.asLongs());
        assertArrayEquals(new double[] {3, -4}, ints.asDoubles());
        assertThrows(IllegalStateException.class, ints::asFloats);
        NpyArray longs = new NpyArray(Shape.of(1), "<i8", new long[] {1});
        assertThrows(IllegalStateException.class, longs::asDoubles);
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(Shape.of(3), "<i4", new int[2]));
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.npy");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void badMagicString() throws IOException {
        byte[] bytes = file("<f4", "(1,)", new byte[4]);
        bytes[1] = 'X';
        assertReadFails(write("bad.npy", bytes), "magic string");
        assertReadFails(write("short.npy", new byte[] {(byte) 0x93, 'N', 'U'}), "truncated");
    }

    @Test
    void unsupportedVersion() throws IOException {
        byte[] bytes = file("<f4", "(1,)", new byte[4]);
        bytes[6] = 4;
        assertReadFails(write("v4.npy", bytes), "version 4.0");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        assertReadFails(write("f2.npy", file("<f2", "(2,)", new byte[4])), "unsupported dtype '<f2'");
        assertReadFails(write("u2.npy", file("<u1", "(2,)", new byte[2])), "unsupported dtype '<u1'");
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        byte[] bytes = npyFile(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", new byte[16]);
        assertReadFails(write("f.npy", bytes), "fortran_order is True");
    }

    @Test
    void headersThatDoNotParse() throws IOException {
        byte[] unclosed = npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}\n", new byte[24]);
        assertReadFails(write("a.npy", unclosed), "header does not parse", "expected ','");
        byte[] missingKey = npyFile(1, "{'descr': '<f4', 'shape': (2,)}\n", new byte[8]);
        assertReadFails(write("b.npy", missingKey), "must have exactly the keys");
        byte[] structured = npyFile(1, "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,)}\n", new byte[4]);
        assertReadFails(write("c.npy", structured), "header does not parse");
        byte[] negative = npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}\n", new byte[4]);
        assertReadFails(write("d.npy", negative), "header does not parse", "non-negative integer");
    }

    @Test
    void truncatedBodySaysHowManyBytes() throws IOException {
        assertReadFails(write("t.npy", file("<f4", "(2, 3)", new byte[20])), "truncated", "needs 24 bytes", "only 20");
        byte[] full = file("<f4", "(1,)", new byte[4]);
        assertReadFails(write("h.npy", Arrays.copyOf(full, 40)), "truncated", "header");
    }

    @Test
    void shapeThatDoesNotMatchTheData() throws IOException {
        assertReadFails(write("s.npy", file("<i8", "(2,)", new byte[24])), "needs 16 bytes", "24 are present",
                "does not match");
        String huge = "(2147483647, 2147483647, 2147483647, 2147483647)";
        assertReadFails(write("huge.npy", file("<f8", huge, new byte[8])), "too large");
    }

    @Test
    void writingAShapeThatDoesNotMatchFailsAndLeavesNoFile() {
        Path file = dir.resolve("w.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(file, Shape.of(2, 3), new float[5]));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("(2, 3) holds 6"), e.getMessage());
        assertEquals(List.of(), listDir());
    }

    // ---- real data ---------------------------------------------------------------------------------------------

    @Test
    void readsTheSharedMobileNetFiles() throws IOException {
        Path model = TestData.file("pretrained/mobilenet_v2_1.0_224");
        NpyArray weight = Npy.read(model.resolve("weights/conv0.weight.npy"));
        assertEquals(Shape.of(32, 3, 3, 3), weight.shape());
        assertEquals("<f4", weight.descr());

        NpyArray input = Npy.read(model.resolve("reference/ant_0013035.input.npy"));
        assertEquals(Shape.of(1, 3, 224, 224), input.shape());
        for (float x : input.asFloats()) {
            assertTrue(x >= -1 && x <= 1, "preprocessed pixels lie in [-1, 1] per the README, got " + x);
        }

        // The README's top-1 class for the ant image is 310 (ant): the values, not just the shape, are right.
        float[] logits = Npy.read(model.resolve("reference/ant_0013035.logits.npy")).asFloats();
        assertEquals(1000, logits.length);
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            best = logits[i] > logits[best] ? i : best;
        }
        assertEquals(310, best);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void assertReadFails(Path file, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "the error names the file: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
    }

    /** A version 1.0 file with a minimal (unpadded) header, as the specification allows. */
    private static byte[] file(String descr, String shape, byte[] body) {
        return npyFile(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n", body);
    }

    /** Magic, version, little-endian header length (2 bytes for 1.0, 4 after), header text, body. */
    private static byte[] npyFile(int major, String header, byte[] body) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(8 + (major == 1 ? 2 : 4) + text.length + body.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).put(body).array();
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private List<Path> listDir() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
