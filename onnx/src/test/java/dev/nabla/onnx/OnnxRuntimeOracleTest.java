package dev.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.module.Graph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ONNX Runtime, an independent implementation, runs what Nabla exported and gets Nabla's outputs (within 1e-4). */
class OnnxRuntimeOracleTest {
    private static final DType F32 = DType.FLOAT32;

    @ParameterizedTest
    @MethodSource("dev.nabla.onnx.Reference#backends")
    void runsAGraphOfEveryExportableModule(String backend, @TempDir Path dir) throws IOException, OrtException {
        Backend be = Backends.get(backend);
        Graph g = ExportedModules.build(be, F32, 3);
        Path file = dir.resolve("every.onnx");
        OnnxExporter.write(g, file, ExportedModules.INPUT);
        Tensor x = Tensors.randn(be, F32, new Random(4), 1, ExportedModules.INPUT.dims());
        agrees("every module", backend, g.apply(x), OnnxRuntime.run(file, "x", x.toFloatArray(), x.shape()));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("dev.nabla.onnx.OnnxRoundTripTest#sharedModels")
    void runsAnExportedImport(String backend, Reference r, @TempDir Path dir) throws IOException, OrtException {
        Backend be = Backends.get(backend);
        Graph g = OnnxImporter.load(r.file(), be, F32);
        Tensor x = r.input(be, F32);
        Path file = dir.resolve(r.model() + ".onnx");
        OnnxExporter.write(g, file, x.shape());
        agrees(r.toString(), backend, g.apply(x), OnnxRuntime.run(file, "input", x.toFloatArray(), x.shape()));
    }

    private static void agrees(String what, String backend, Tensor nabla, float[] onnxRuntime) {
        double diff = Reference.maxAbs(nabla.toDoubleArray(), OnnxRuntime.doubles(onnxRuntime));
        System.out.printf(Locale.ROOT, "onnxruntime on Nabla's export of %s (%s): max abs difference %.3e%n", what,
                backend, diff);
        assertTrue(diff < 1e-4, what + " on " + backend + ": max abs difference " + diff);
    }
}
