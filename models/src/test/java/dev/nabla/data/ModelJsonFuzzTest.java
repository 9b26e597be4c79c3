package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.io.TestData;
import dev.nabla.models.MobileNetV2;
import dev.nabla.models.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A fuzzed model.json read as the pretrained network's preprocessing and as a saved model's config. */
@ExtendWith(LoaderFuzzing.Report.class)
class ModelJsonFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        String saved = "{\"format\": \"nabla-params/1\", \"config\": {\"hidden\": 1000, \"kind\": \"mlp\"},"
                + " \"params\": [{\"name\": \"W1\", \"file\": \"W1.npy\", \"shape\": [784, 1000], \"dtype\": \"float32\"}]}";
        String preprocessing = "{\"preprocessing\": {\"resize_shorter\": 256, \"center_crop\": [224, 224],"
                + " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]}}";
        return LoaderFuzzing.arguments(saved.getBytes(StandardCharsets.UTF_8),
                preprocessing.getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(TestData.file(MobileNetV2.DEFAULT_DIR).resolve("model.json")));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void modelJson(byte[] input) throws IOException {
        Path dir = LoaderFuzzing.dir("model-json");
        Path file = dir.resolve("model.json");
        LoaderFuzzing.loadsOrFailsNamingIt("model-json", file, input, () -> ImagePreprocessing.fromModelJson(dir));
        LoaderFuzzing.loadsOrFailsNamingIt("model-json", file, input, () -> ModelStore.config(dir));
    }
}
