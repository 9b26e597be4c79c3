package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON files fail naming the file (and the line) whatever is wrong. */
class JsonFileTest {
    private static String failure(Path file) {
        return assertThrows(IOException.class, () -> JsonFile.readObject(file, "the test file")).getMessage();
    }

    @Test
    void badSyntaxIsNamedByFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("model.json"), "{\n  \"format\": \"npy-cnn-v1\", oops}");
        assertEquals(f + ": not valid JSON at line 2, column 27: Unexpected character ('o' (code 111)): was"
                + " expecting double-quote to start field name", failure(f));
        Files.writeString(f, "{} {}");
        assertEquals(f + ": not valid JSON at line 1, column 4: Trailing token (of type START_OBJECT) found after"
                + " value (bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
                + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`", failure(f));
        Files.write(f, new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        assertEquals(f + ": not valid JSON at line 1, column 5: Invalid UTF-8 start byte 0xff", failure(f));
        // Found by the fuzzer: bytes that make Jackson guess UTF-32, then break it, fail outside JSON's syntax errors.
        Files.write(f, new byte[] {0, 0, 0, '{', (byte) 0xff, (byte) 0xfe, (byte) 0xff, 0});
        assertEquals(f + ": not valid JSON text: Invalid UTF-32 character 0xfffdff00 (above 0x0010ffff) at char #1,"
                + " byte #7)", failure(f));
    }

    @Test
    void emptyFilesAndOtherTopLevelValuesAreNamed(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("v.json"), "");
        assertEquals(f + ": empty; expected a JSON object", failure(f));
        Files.writeString(f, "[1, 2]");
        assertEquals(f + ": expected a JSON object at the top level, found an array", failure(f));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> JsonFile.readObject(dir.resolve("no.json"), "the test file"));
        assertEquals(dir.resolve("no.json") + ": the test file is missing", missing.getMessage());
    }
}
