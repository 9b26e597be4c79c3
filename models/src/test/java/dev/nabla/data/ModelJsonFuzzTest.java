package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.models.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A fuzzed model.json, read as a saved model's config (the pretrained network's own model.json is retired). */
@ExtendWith(LoaderFuzzing.Report.class)
class ModelJsonFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        String saved = "{\"format\": \"nabla-params/1\", \"config\": {\"hidden\": 1000, \"kind\": \"mlp\"},"
                + " \"params\": [{\"name\": \"W1\", \"file\": \"W1.npy\", \"shape\": [784, 1000], \"dtype\": \"float32\"}]}";
        String nested = "{\"format\": \"nabla-module/1\", \"config\": {\"run_id\": \"x\", \"layers\": [1, [2, {}]]}}";
        return LoaderFuzzing.arguments(saved.getBytes(StandardCharsets.UTF_8),
                nested.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void modelJson(byte[] input) throws IOException {
        Path dir = LoaderFuzzing.dir("model-json");
        LoaderFuzzing.loadsOrFailsNamingIt("model-json", dir.resolve("model.json"), input,
                () -> ModelStore.config(dir));
    }
}
