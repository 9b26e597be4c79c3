package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link MobileNetV2#features}: the pooled 1280-d input of the classifier, consistent with {@link MobileNetV2#scores}. */
class MobileNetV2FeaturesTest {
    @Test
    void theClassifierAppliedToTheFeaturesGivesTheLogits() throws IOException {
        Backend be = Backends.get("cpu");
        Path dir = TestData.file("pretrained/mobilenet_v2_1.0_224");
        MobileNetV2 net = MobileNetV2.load(TestData.file(MobileNetV2.DEFAULT_FILE), be, DType.FLOAT32);
        NpyArray in = Npy.read(dir.resolve("reference/ant_0013035.input.npy"));
        Tensor x = be.fromArray(in.asFloats(), DType.FLOAT32, in.shape());
        Tensor f = net.features(x);
        assertEquals(Shape.of(1, 1280), f.shape());
        float[] feat = f.toFloatArray();
        float[] logits = net.scores(x).toFloatArray();
        // fc0 by hand: logits[o] = sum_i W[o, i] f[i] + b[o], W stored [out, in].
        float[] w = Npy.read(dir.resolve("weights/fc0.weight.npy")).asFloats();
        float[] b = Npy.read(dir.resolve("weights/fc0.bias.npy")).asFloats();
        double worst = 0;
        for (int o = 0; o < 1000; o++) {
            double s = b[o];
            for (int i = 0; i < 1280; i++) {
                s += w[o * 1280 + i] * (double) feat[i];
            }
            worst = Math.max(worst, Math.abs(s - logits[o]));
        }
        assertTrue(worst < 1e-3, "max |fc(features) - scores| = " + worst);
        for (float v : feat) {
            assertTrue(v >= 0 && v <= 6, "an average of ReLU6 outputs: " + v);
        }
    }
}
