package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backends;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code nabla predict} reproduces ONNX Runtime's reference outputs of every shared model, on every backend. */
class PredictCommandTest {
    static Stream<Arguments> references() {
        String[] refs = {"mobilenet_v2_1.0_224.ant_0013035", "mobilenet_v2_1.0_224.bee_16838648",
            "resnet18_w16.random2", "digit_bn_cnn.random4"};
        return Backends.available().stream().flatMap(b -> Stream.of(refs).map(r -> Arguments.of(b, r)));
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Nabla.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("references")
    void reproducesTheReferenceOutputs(String backend, String ref, @TempDir Path tmp) throws IOException {
        String model = ref.substring(0, ref.lastIndexOf('.'));
        Path y = tmp.resolve("y.npy");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = run(out, err, "predict", "--backend", backend, "--model",
                TestData.file("onnx/" + model + ".onnx").toString(), "--input",
                TestData.file("onnx/reference/" + ref + ".input.npy").toString(), "--output", y.toString(),
                "--batch-size", "1");
        assertEquals(0, status, err.toString());
        NpyArray got = Npy.read(y);
        NpyArray want = Npy.read(TestData.file("onnx/reference/" + ref + ".output.npy"));
        assertEquals(want.shape(), got.shape());
        assertEquals("<f4", got.descr());
        float[] a = got.asFloats();
        float[] b = want.asFloats();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        System.out.printf(Locale.ROOT, "predict %s on %s: max |output - reference| = %.3e%n", ref, backend, diff);
        assertTrue(diff < 1e-4, ref + " on " + backend + ": " + diff);
        assertTrue(out.toString().contains("output " + want.shape()) && out.toString().contains("ms per batch"),
                out.toString());
    }

    @Test
    void anInputOfTheWrongShapeIsNamed(@TempDir Path tmp) throws IOException {
        Path x = tmp.resolve("x.npy");
        Npy.write(x, dev.nabla.Shape.of(2, 1, 20, 20), new float[800]);
        StringWriter err = new StringWriter();
        int status = run(new StringWriter(), err, "predict", "--backend", "cpu", "--model",
                TestData.file("onnx/digit_bn_cnn.onnx").toString(), "--input", x.toString(), "--output",
                tmp.resolve("y.npy").toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("x.npy holds (2, 1, 20, 20)") && err.toString().contains("[N, 1, 28, 28]"),
                err.toString());
    }
}
