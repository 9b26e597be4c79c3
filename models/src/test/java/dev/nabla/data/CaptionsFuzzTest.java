package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flickr8k's captions.tsv on fuzzed files: read, a split resolved against it, a vocabulary built from its
 * captions and each caption encoded.
 */
@ExtendWith(LoaderFuzzing.Report.class)
class CaptionsFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        List<String> real = Files.readAllLines(TestData.file(Flickr8k.DIR).resolve("captions.tsv"));
        String small = "image\tindex\tcaption\na.jpg\t0\tA dog 's ball .\na.jpg\t1\tTwo DOGS run!\n";
        return LoaderFuzzing.arguments(small.getBytes(StandardCharsets.UTF_8),
                (String.join("\n", real.subList(0, 21)) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void captions(byte[] input) throws IOException {
        Path data = LoaderFuzzing.dir("captions");
        Path dir = Files.createDirectories(data.resolve(Flickr8k.DIR));
        Files.writeString(dir.resolve("train.txt"), "a.jpg\n");
        LoaderFuzzing.loadsOrFailsNamingIt("captions", dir.resolve("captions.tsv"), input, () -> {
            Flickr8k f = Flickr8k.open(data);
            List<String> captions = f.captionsOf(f.split("train"));
            Vocabulary v = Vocabulary.build(captions, 1);
            captions.forEach(c -> v.encode(c, 16));
        });
    }
}
