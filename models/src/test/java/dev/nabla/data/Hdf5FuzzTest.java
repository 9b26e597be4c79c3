package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The course's HDF5 layout (jHDF) on fuzzed files: the first byte chooses whether the captions file or the feature
 * file is fuzzed; the other one, the URL list and the vocabulary are the real sample's.
 */
@ExtendWith(LoaderFuzzing.Report.class)
class Hdf5FuzzTest {
    private static final String FEATURES = "mobilenet_v2_pool";

    static Stream<Arguments> seeds() throws IOException {
        Path sample = CocoCaptioningTest.sample();
        return LoaderFuzzing.arguments(
                LoaderFuzzing.prefixed(0, Files.readAllBytes(sample.resolve("coco2014_captions.h5"))),
                LoaderFuzzing.prefixed(1, Files.readAllBytes(sample.resolve("val2014_" + FEATURES + ".h5"))));
    }

    private static Vocabulary vocab;
    /** Which file the last input replaced, so that the real one is put back only when the mode changes. */
    private static String lastFuzzed;

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void hdf5(byte[] input) throws IOException {
        Path dir = LoaderFuzzing.dir("hdf5");
        Path sample = CocoCaptioningTest.sample();
        if (vocab == null) {
            Files.copy(sample.resolve("val2014_urls.txt"), dir.resolve("val2014_urls.txt"),
                    StandardCopyOption.REPLACE_EXISTING);
            vocab = CocoCaptioning.vocabulary(sample);
        }
        boolean captions = input.length == 0 || input[0] % 2 == 0;
        String fuzzed = captions ? "coco2014_captions.h5" : "val2014_" + FEATURES + ".h5";
        if (!fuzzed.equals(lastFuzzed)) {
            String real = captions ? "val2014_" + FEATURES + ".h5" : "coco2014_captions.h5";
            Files.copy(sample.resolve(real), dir.resolve(real), StandardCopyOption.REPLACE_EXISTING);
            lastFuzzed = fuzzed;
        }
        byte[] content = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        LoaderFuzzing.loadsOrFailsNamingIt("hdf5", dir.resolve(fuzzed), content,
                () -> CocoCaptioning.load(dir, "val", FEATURES, vocab));
    }
}
