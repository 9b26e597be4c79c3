package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenising, building, encoding and decoding a captioning vocabulary. */
class VocabularyTest {
    @Test
    void tokenisesAsTheCourseEncodedItsCaptions() {
        assertEquals(List.of("a", "dog", "s", "ball", "tshirt"), Vocabulary.tokenize("A dog 's ball , T-shirt ."));
        assertEquals(List.of(), Vocabulary.tokenize("  . "));
    }

    @Test
    void keepsWordsSeenAtLeastTheThresholdMostFrequentFirstAfterTheSpecialWords() {
        Vocabulary v = Vocabulary.build(List.of("A dog runs .", "a cat runs", "the dog", "A bird"), 2);
        // a x3, dog x2, runs x2 (tie broken alphabetically), cat/the/bird x1 are left out.
        assertEquals(List.of("<NULL>", "<START>", "<END>", "<UNK>", "a", "dog", "runs"), v.words());
        assertEquals(Vocabulary.UNK_ID, v.id("cat"));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(List.of("a"), 0));
    }

    @Test
    void encodesToAFixedLengthAndDecodesBack() {
        Vocabulary v = Vocabulary.build(List.of("a dog runs", "a dog"), 1);
        int[] row = v.encode("A dog flies.", 4);
        // <START> a dog <UNK> <END> <NULL>: maxWords + 2 ids.
        assertArrayEquals(new int[] {1, v.id("a"), v.id("dog"), 3, 2, 0}, row);
        assertEquals("a dog <UNK>", v.decode(row));
        assertEquals("a dog", v.decode(new int[] {v.id("a"), v.id("dog"), 2, v.id("runs")}), "stops at <END>");
        assertNull(v.encode("a dog runs and runs", 4), "longer than maxWords: left out");
    }

    @Test
    void readsTheCourseVocabulary() throws IOException {
        Vocabulary v = Vocabulary.readCourseJson(TestData.file("coco_captioning/cs231n/coco2014_vocab.json"));
        assertEquals(1004, v.size());
        assertEquals("<UNK>", v.word(3));
        assertEquals(v.id("dog"), v.words().indexOf("dog"));
    }

    @Test
    void aBadVocabularyFileFailsNamingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("v.json");
        Files.writeString(f, "{\"idx_to_word\": [\"a\", \"b\"]}");
        IOException e = assertThrows(IOException.class, () -> Vocabulary.readCourseJson(f));
        assertTrue(e.getMessage().startsWith(f + ": Vocabulary: the first words must be [<NULL>"), e.getMessage());
        Files.writeString(f, "{\"idx_to_word\": [");
        assertEquals(f + ": not valid JSON at line 1, column 18: Unexpected end-of-input: expected close marker for"
                + " Array (start marker at [line: 1, column: 17])",
                assertThrows(IOException.class, () -> Vocabulary.readCourseJson(f)).getMessage());
        Files.writeString(f, "{\"idx_to_word\": [\"<NULL>\", \"<START>\", \"<END>\", \"<UNK>\", 7]}");
        assertEquals(f + ": idx_to_word[4] is 7, not a string",
                assertThrows(IOException.class, () -> Vocabulary.readCourseJson(f)).getMessage());
        IOException missing = assertThrows(IOException.class, () -> Vocabulary.readCourseJson(dir.resolve("no.json")));
        assertTrue(missing.getMessage().contains("no.json"), missing.getMessage());
    }
}
