package dev.nabla.onnx;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One reference batch of a shared ONNX model ({@code onnx/reference/<model>.<tag>.*} in the data folder): its input,
 * ONNX Runtime's float32 output, and the float64 rerun of the same model kept in this module's test resources
 * ({@code src/test/python/float64_reference.py} wrote them).
 */
record Reference(String model, String tag) {
    /** Every reference batch of the three shared models. */
    static final List<Reference> ALL = List.of(new Reference("mobilenet_v2_1.0_224", "ant_0013035"),
            new Reference("mobilenet_v2_1.0_224", "bee_16838648"), new Reference("resnet18_w16", "random2"),
            new Reference("digit_bn_cnn", "random4"));

    /** The backends this machine runs, by name: every test runs on each. */
    static Stream<String> backends() {
        return Backends.available().stream();
    }

    /** Every (backend, reference) pair. */
    static Stream<Arguments> everywhere() {
        return backends().flatMap(b -> ALL.stream().map(r -> Arguments.of(b, r)));
    }

    /** A shared model file. */
    static Path file(String model) {
        return TestData.file("onnx/" + model + ".onnx");
    }

    Path file() {
        return file(model);
    }

    /** The input batch, on {@code be} in {@code dtype}. */
    Tensor input(Backend be, DType dtype) throws IOException {
        NpyArray a = Npy.read(TestData.file("onnx/reference/" + model + "." + tag + ".input.npy"));
        return be.fromArray(a.asFloats(), dtype, a.shape());
    }

    /** ONNX Runtime's float32 output. */
    double[] onnxRuntime() throws IOException {
        return Npy.read(TestData.file("onnx/reference/" + model + "." + tag + ".output.npy")).asDoubles();
    }

    /** The float64 rerun's output. */
    double[] float64(Path tmp) throws IOException {
        Path file = tmp.resolve(model + "." + tag + ".npy");
        try (InputStream in = Reference.class.getResourceAsStream("/float64/" + model + "." + tag + ".output.npy")) {
            Files.write(file, in.readAllBytes());
        }
        return Npy.read(file).asDoubles();
    }

    /** max |a - b|. */
    static double maxAbs(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /** max |a - b| / max |b|: agreement relative to the size of the values. */
    static double scaled(double[] a, double[] b) {
        double scale = 0;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        return maxAbs(a, b) / scale;
    }

    @Override
    public String toString() {
        return model + "." + tag;
    }
}
