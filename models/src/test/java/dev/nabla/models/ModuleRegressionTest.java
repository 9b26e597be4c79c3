package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.data.Mnist;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.TestData;
import dev.nabla.train.Dataset;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The networks declared with modules compute exactly what the hand-chained ones did: the same loss at every
 * iteration of a short digits run and the same MobileNetV2 logits, number for number, against the golden outputs
 * the old code wrote (src/test/resources/golden/README.md) on {@code cpu}.
 */
class ModuleRegressionTest {
    @ParameterizedTest
    @EnumSource(value = DigitModels.Kind.class, names = {"MLP", "CNN"})
    void digitsLossHistoryIsUnchanged(DigitModels.Kind kind) throws IOException {
        Backend be = Backends.get("cpu");
        Mnist mnist = Mnist.load(TestData.dir(), 2000);
        Dataset train = new Dataset(mnist.train().images(), new int[] {1, 28, 28}, mnist.train().labels());
        Dataset val = new Dataset(mnist.val().images(), new int[] {1, 28, 28}, mnist.val().labels()).head(500);
        Model m = DigitModels.build(DigitModels.best(kind), be, DType.FLOAT32, 0);
        Solver s = new Solver(m, train, val, DigitModels.training(kind, 2, 0).numTrainSamples(500));
        List<Solver.Epoch> epochs = s.train();
        String got = s.lossHistory().stream().map(d -> Double.toString(d)).collect(Collectors.joining("\n"))
                + "\n# epochs " + epochs.stream().map(e -> e.trainAcc() + "/" + e.valAcc())
                .collect(Collectors.joining(" ")) + "\n";
        assertEquals(golden("digits-" + kind.name().toLowerCase(java.util.Locale.ROOT) + ".txt"), got);
    }

    @Test
    void mobileNetV2LogitsAreUnchanged(@TempDir Path tmp) throws IOException {
        Backend be = Backends.get("cpu");
        Path dir = TestData.file("pretrained/mobilenet_v2_1.0_224");
        MobileNetV2 net = MobileNetV2.load(TestData.file(MobileNetV2.DEFAULT_FILE), be, DType.FLOAT32);
        for (String image : new String[] {"ant_0013035", "bee_16838648"}) {
            NpyArray in = Npy.read(dir.resolve("reference").resolve(image + ".input.npy"));
            Tensor logits = net.scores(be.fromArray(in.asFloats(), DType.FLOAT32, in.shape()));
            Path file = tmp.resolve(image + ".npy");
            try (InputStream g = getClass().getResourceAsStream("/golden/mobilenet-" + image + ".logits.npy")) {
                Files.write(file, g.readAllBytes());
            }
            assertArrayEquals(Npy.read(file).asFloats(), logits.toFloatArray(), 0f, image);
        }
    }

    private String golden(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
