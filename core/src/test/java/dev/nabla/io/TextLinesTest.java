package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UTF-8 lines as Files.readAllLines splits them, and a byte that is not UTF-8 named by file, line and position. */
class TextLinesTest {
    @Test
    void splitsLinesAsReadAllLinesDoes(@TempDir Path dir) throws IOException {
        for (String text : List.of("", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\n\nc", "é\t€\n😀")) {
            Path f = Files.writeString(dir.resolve("t.txt"), text, StandardCharsets.UTF_8);
            assertEquals(Files.readAllLines(f), TextLines.read(f), "'" + text + "'");
        }
    }

    @Test
    void aByteThatIsNotUtf8IsNamedByFileLineAndPosition(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("captions.tsv");
        Files.write(f, "image\tcaption\r\nb.jpg\tA caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> TextLines.read(f));
        assertEquals(f + ":2: not valid UTF-8: byte 0xe9 at byte 12 of the line (save the file as UTF-8)",
                e.getMessage());
        // A character cut short at the end of the file is as bad as a stray byte.
        Files.write(f, new byte[] {'o', 'k', '\n', (byte) 0xe2, (byte) 0x82});
        assertEquals(f + ":2: not valid UTF-8: byte 0xe2 at byte 1 of the line (save the file as UTF-8)",
                assertThrows(IOException.class, () -> TextLines.read(f)).getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TextLines.read(dir.resolve("no.txt")));
        assertEquals(dir.resolve("no.txt") + ": no such text file", e.getMessage());
    }
}
