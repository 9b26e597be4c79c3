package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.io.Npy;
import dev.nabla.io.NpyArray;
import dev.nabla.module.Graph;
import dev.nabla.onnx.Dim;
import dev.nabla.onnx.OnnxImporter;
import dev.nabla.onnx.OnnxModel;
import dev.nabla.onnx.OnnxReader;
import dev.nabla.onnx.ValueInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nabla predict}: any supported ONNX model on an {@code .npy} batch, its outputs written as {@code .npy}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Runs an ONNX model (any the importer takes: see the README's ONNX section)",
            "on the batch of an .npy file, as the file has it (a Softmax output stays",
            "probabilities), and writes its outputs as float32 .npy. Prints the output",
            "shape and the time per batch."})
final class PredictCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--model", required = true, paramLabel = "FILE.onnx", description = "The ONNX model.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "The input batch: float32 or float64, axis 0 the samples.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Where the outputs go (float32).")
    Path output;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per forward pass (default: all at once).")
    Integer batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Backend be = backend.resolve();
        OnnxModel onnx = OnnxReader.read(model);
        Graph graph = OnnxImporter.toGraph(onnx, model, OnnxImporter.Options.of(be, DType.FLOAT32));
        NpyArray x = Npy.read(input);
        checkInput(onnx.inputs(), x.shape());
        int n = x.shape().dim(0);
        int batch = batchSize != null ? batchSize : n;
        if (batch < 1 || n < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 and " + input + " hold at least one"
                    + " sample; got " + batch + " and " + x.shape());
        }
        float[] values = x.asFloats();
        int per = values.length / n;
        float[] out = null;
        int outPer = 0;
        Shape outShape = null;
        List<Double> millis = new java.util.ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            int[] dims = x.shape().dims();
            dims[0] = count;
            float[] slice = java.util.Arrays.copyOfRange(values, from * per, (from + count) * per);
            try (Tensor in = be.fromArray(slice, DType.FLOAT32, Shape.of(dims))) {
                long t0 = System.nanoTime();
                Tensor y = graph.apply(in);
                float[] rows = y.toFloatArray();
                millis.add((System.nanoTime() - t0) / 1e6);
                if (out == null) {
                    outPer = rows.length / count;
                    int[] od = y.shape().dims();
                    od[0] = n;
                    outShape = Shape.of(od);
                    out = new float[n * outPer];
                }
                System.arraycopy(rows, 0, out, from * outPer, rows.length);
                y.close();
            }
        }
        Npy.write(output, outShape, out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "output %s float32 -> %s%n", outShape, output);
        stdout.printf(Locale.ROOT, "%d batch(es) of up to %d on %s: %s%n", millis.size(), batch, be.name(),
                timing(millis));
        stdout.flush();
        return 0;
    }

    /** The first batch pays for class loading, JIT and native warm-up, so later ones are reported apart. */
    private static String timing(List<Double> millis) {
        String first = String.format(Locale.ROOT, "%.1f ms per batch", millis.get(0));
        if (millis.size() == 1) {
            return first + " (one batch: warm-up included)";
        }
        double rest = millis.subList(1, millis.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return String.format(Locale.ROOT, "%.1f ms per batch after the first (%.1f ms, warm-up included)", rest,
                millis.get(0));
    }

    /** The .npy batch must have the model input's rank and, after the batch axis, its fixed sizes. */
    private void checkInput(List<ValueInfo> inputs, Shape x) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(model + " has " + inputs.size() + " inputs; predict feeds exactly one");
        }
        List<Dim> dims = inputs.get(0).shape().orElseThrow();
        boolean fits = dims.size() == x.rank();
        for (int i = 1; fits && i < dims.size(); i++) {
            fits = !dims.get(i).isFixed() || dims.get(i).value() == x.dim(i);
        }
        if (!fits) {
            throw new IllegalArgumentException(input + " holds " + x + " but " + model + "'s input '"
                    + inputs.get(0).name() + "' is " + dims + " (axis 0 the batch)");
        }
    }
}
