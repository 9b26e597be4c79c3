package dev.nabla.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a JSON file whose top level must be an object. Jackson's own messages name neither the file nor (since
 * 2.16) the source, so every error here names the file, and for bad syntax the line and column.
 */
public final class JsonFile {
    // Text after the object is an error: a file cut and pasted twice is damaged, not valid.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonFile() {
    }

    /** The top-level object of {@code file}; {@code what} says what the file is, for a missing file. */
    public static JsonNode readObject(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " is missing");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON" + where(e.getLocation()) + ": " + withoutSource(e), e);
        } catch (CharConversionException e) {
            // Jackson guessed an encoding (UTF-16 or 32 from the first bytes) and the bytes do not follow it.
            throw new IOException(file + ": not valid JSON text: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IOException(file + ": empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw new IOException(file + ": expected a JSON object at the top level, found " + kind(root));
        }
        return root;
    }

    /** Jackson's message, less the "[Source: REDACTED ...; " it puts inside locations it quotes. */
    private static String withoutSource(JsonProcessingException e) {
        return String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
                : node.isBoolean() ? "a boolean" : "null";
    }
}
