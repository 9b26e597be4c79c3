package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.data.ImagePreprocessing;
import dev.nabla.io.TextLines;
import dev.nabla.models.MobileNetV2;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nabla classify IMAGE...}: the top classes of each image with an imported ImageNet-style classifier. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Top classes of each image, with an ONNX image classifier (default: the ImageNet-pretrained"
                + " MobileNetV2, <data-dir>/" + MobileNetV2.DEFAULT_FILE + ").")
final class ClassifyCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend = new BackendOption();

    @Mixin
    DataDirOption data = new DataDirOption();

    @Mixin
    ImageModelOptions network = new ImageModelOptions();

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, line i = class i (default: the"
            + " ImageNet labels with the default model, none otherwise).")
    Path labels;

    @Option(names = "--top", defaultValue = "5", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG, PNG, GIF or BMP files.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        new OptionCheck(spec).atLeast("--top", top, 1);
        Backend be = backend.resolve();
        Path dataDir = data.resolve();
        MobileNetV2 net = MobileNetV2.load(network.file(dataDir), be, DType.FLOAT32);
        ImagePreprocessing prep = network.preprocessing();
        Path labelFile = labels != null ? labels : network.isDefault() ? dataDir.resolve(MobileNetV2.DEFAULT_LABELS)
                : null;
        List<String> names = labelFile != null ? TextLines.read(labelFile) : List.of();
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (Path image : images) {
            float[] x;
            try {
                x = prep.evalTransform(ImagePreprocessing.decode(image));
            } catch (IOException e) {
                // One bad file is reported by its path; the others are still classified.
                spec.commandLine().getErr().println("nabla classify: " + e.getMessage());
                failed++;
                continue;
            }
            float[] logits = net.scores(be.fromArray(x, DType.FLOAT32,
                    Shape.of(1, 3, prep.cropHeight(), prep.cropWidth()))).toFloatArray();
            double[] p = softmax(logits);
            out.println(image);
            for (int c : topK(p, top)) {
                out.printf(Locale.ROOT, "  %4d  %.4f  %s%n", c, p[c], c < names.size() ? names.get(c) : "?");
            }
        }
        out.flush();
        spec.commandLine().getErr().flush();
        return failed == 0 ? 0 : 1;
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int[] topK(double[] p, int k) {
        return java.util.stream.IntStream.range(0, p.length).boxed()
                .sorted((a, b) -> Double.compare(p[b], p[a])).limit(k).mapToInt(Integer::intValue).toArray();
    }
}
