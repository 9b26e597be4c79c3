package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The course's vocabulary JSON on fuzzed files, each word then encoded and decoded back. */
@ExtendWith(LoaderFuzzing.Report.class)
class VocabularyFuzzTest {
    static Stream<Arguments> seeds() {
        String small = "{\"idx_to_word\": [\"<NULL>\", \"<START>\", \"<END>\", \"<UNK>\", \"a\", \"dog\"],"
                + " \"word_to_idx\": {\"<NULL>\": 0, \"<START>\": 1, \"<END>\": 2, \"<UNK>\": 3, \"a\": 4, \"dog\": 5}}";
        return LoaderFuzzing.arguments(small.getBytes(StandardCharsets.UTF_8),
                small.replace(", \"dog\"", "").getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void vocabulary(byte[] input) throws IOException {
        Path file = LoaderFuzzing.dir("vocabulary").resolve("coco2014_vocab.json");
        LoaderFuzzing.loadsOrFailsNamingIt("vocabulary", file, input, () -> {
            Vocabulary v = Vocabulary.readCourseJson(file);
            for (String w : v.words()) {
                v.decode(v.encode(w, 16) == null ? new int[0] : v.encode(w, 16));
            }
        });
    }
}
