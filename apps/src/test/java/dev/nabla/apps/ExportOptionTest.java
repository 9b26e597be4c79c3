package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.io.Npy;
import dev.nabla.io.TestData;
import dev.nabla.module.Graph;
import dev.nabla.onnx.OnnxImporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nabla digits --export FILE.onnx} writes the trained network, which imports back with the saved weights. */
class ExportOptionTest {
    @Test
    void digitsExportsTheTrainedNetwork(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("digits.onnx");
        CommandLine cl = Nabla.commandLine();
        StringWriter stdout = new StringWriter();
        cl.setOut(new PrintWriter(stdout));
        int status = cl.execute("digits", "--model", "mlp", "--epochs", "1", "--train-limit", "1000", "--backend",
                "cpu", "--no-download", "--data-dir", TestData.dir().toString(), "--out", tmp.resolve("out").toString(),
                "--export", file.toString());
        assertEquals(0, status, stdout.toString());
        assertTrue(stdout.toString().contains("wrote " + file), stdout.toString());
        Graph g = OnnxImporter.load(file, Backends.get("cpu"), DType.FLOAT32);
        for (String p : new String[] {"fc1.weight", "fc2.bias"}) {
            assertArrayEquals(Npy.read(tmp.resolve("out/model/" + p + ".npy")).asFloats(),
                    g.parameters().get(p).value().toFloatArray(), 0f, p);
        }
    }
}
