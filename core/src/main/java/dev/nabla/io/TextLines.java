package dev.nabla.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a UTF-8 text file as lines, as {@link Files#readAllLines} does (lines end at {@code \n}, {@code \r\n} or
 * {@code \r}), except that a byte that is not UTF-8 is an {@link IOException} naming the file, the line and the
 * byte, where the JDK's says only {@code Input length = 1}.
 */
public final class TextLines {
    private TextLines() {
    }

    /** The lines of {@code file}, without their terminators. */
    public static List<String> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such text file");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        int lineNumber = 1;
        for (int i = 0; i <= bytes.length; i++) {
            boolean end = i == bytes.length;
            if (!end && bytes[i] != '\n' && bytes[i] != '\r') {
                continue;
            }
            if (!end || i > start) {
                lines.add(decode(decoder, file, lineNumber, bytes, start, i));
            }
            if (!end && bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                i++;
            }
            start = i + 1;
            lineNumber++;
        }
        return lines;
    }

    /**
     * One line; UTF-8 never uses the bytes of {@code \n} and {@code \r} inside a character, so splitting the bytes
     * first cannot cut one.
     */
    private static String decode(CharsetDecoder decoder, Path file, int lineNumber, byte[] bytes, int from, int to)
            throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        decoder.reset();
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            throw new IOException(String.format(Locale.ROOT, "%s:%d: not valid UTF-8: byte 0x%02x at byte %d of the"
                    + " line (save the file as UTF-8)", file, lineNumber, bytes[at] & 0xff, at - from + 1));
        }
        return out.flip().toString();
    }
}
