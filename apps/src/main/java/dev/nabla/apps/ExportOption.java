package dev.nabla.apps;

import dev.nabla.Shape;
import dev.nabla.module.Graph;
import dev.nabla.module.Module;
import dev.nabla.onnx.OnnxExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --export FILE.onnx} option of the training commands: the trained network written as ONNX. */
final class ExportOption {
    @Option(names = "--export", paramLabel = "FILE.onnx", description = "Also write the trained network to FILE as"
            + " ONNX (opset 13), to run in ONNX Runtime or import back.")
    Path file;

    /** Whether the option was given. */
    boolean given() {
        return file != null;
    }

    /**
     * The file for one of several trained networks: {@code FILE} with {@code .<name>} before the extension
     * ({@code ants.onnx} becomes {@code ants.freeze.onnx}), or {@code FILE} itself when there is only one.
     */
    Path fileFor(String name, boolean several) {
        if (!several) {
            return file;
        }
        String f = file.getFileName().toString();
        String stem = f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
        return file.resolveSibling(stem + "." + name + ".onnx");
    }

    /** Writes {@code network} (a graph of modules) for inputs of {@code input}'s shape, and says so on {@code out}. */
    static void write(Module network, Path target, Shape input, PrintWriter out) throws IOException {
        if (!(network instanceof Graph graph)) {
            throw new IllegalArgumentException("--export: the network is a " + network.kind() + ", not a graph of"
                    + " modules, and cannot be written as ONNX");
        }
        OnnxExporter.write(graph, target, input);
        out.printf("wrote %s (ONNX, input %s with any batch size)%n", target, input);
        out.flush();
    }
}
