package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.io.TestData;
import dev.nabla.models.MobileNetV2;
import dev.nabla.models.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fuzzed model.json, read (as the first byte chooses) as the pretrained network's preprocessing or as a saved
 * model's config.
 */
@ExtendWith(LoaderFuzzing.Report.class)
class ModelJsonFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        String saved = "{\"format\": \"nabla-params/1\", \"config\": {\"hidden\": 1000, \"kind\": \"mlp\"},"
                + " \"params\": [{\"name\": \"W1\", \"file\": \"W1.npy\", \"shape\": [784, 1000], \"dtype\": \"float32\"}]}";
        String preprocessing = "{\"preprocessing\": {\"resize_shorter\": 256, \"center_crop\": [224, 224],"
                + " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]}}";
        byte[] real = Files.readAllBytes(TestData.file(MobileNetV2.DEFAULT_DIR).resolve("model.json"));
        return LoaderFuzzing.arguments(LoaderFuzzing.prefixed(1, saved.getBytes(StandardCharsets.UTF_8)),
                LoaderFuzzing.prefixed(0, preprocessing.getBytes(StandardCharsets.UTF_8)),
                LoaderFuzzing.prefixed(0, real), LoaderFuzzing.prefixed(1, real));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void modelJson(byte[] input) throws IOException {
        Path dir = LoaderFuzzing.dir("model-json");
        boolean preprocessing = input.length == 0 || input[0] % 2 == 0;
        byte[] json = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        LoaderFuzzing.loadsOrFailsNamingIt("model-json", dir.resolve("model.json"), json, () -> {
            if (preprocessing) {
                ImagePreprocessing.fromModelJson(dir);
            } else {
                ModelStore.config(dir);
            }
        });
    }
}
