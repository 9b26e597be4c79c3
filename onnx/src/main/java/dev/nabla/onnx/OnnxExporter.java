package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.module.Graph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Graph}s (and so {@code Sequential}s) of Nabla modules as ONNX models (opset {@value OnnxModel#DEFAULT_OPSET}),
 * so that a network trained in Nabla runs in ONNX Runtime or any other ONNX consumer. Every module the importer
 * produces is exported (the table in the module's README); a graph nested in a graph is inlined, its nodes named by
 * their path ({@code block1.conv}). Each ONNX node and value is named by the Nabla node's path and each parameter
 * and buffer by its name in {@link Graph#state()}, so importing the file back gives the same names and the same
 * outputs. Tensors are written as FLOAT (a FLOAT64 network's values are rounded to float32, what ONNX runtimes
 * compute with); axis 0 of the inputs and the output is the symbolic batch {@code N}.
 */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    /**
     * The model of {@code graph} for inputs of these shapes (their axis 0, the batch, is written as {@code N}).
     *
     * @throws IllegalArgumentException naming the node when a module cannot be exported or the shapes do not fit
     */
    public static OnnxModel toModel(Graph graph, String name, Shape... inputs) {
        graph.outputShape(inputs); // a mis-wired graph fails here, naming the node
        ExportedGraph out = new ExportedGraph();
        List<String> values = new ArrayList<>(graph.inputNames());
        String result = out.inline(graph, "", values, List.of(inputs));
        List<ValueInfo> in = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            in.add(out.valueInfo(graph.inputNames().get(i), inputs[i]));
        }
        return OnnxModel.of(name, in, List.of(out.valueInfo(result, graph.outputShape(inputs))), out.nodes(),
                out.initializers());
    }

    /** Writes {@code graph} to {@code file} (whole or not at all), named after the file. */
    public static void write(Graph graph, Path file, Shape... inputs) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        OnnxWriter.write(toModel(graph, stem, inputs), file);
    }
}
