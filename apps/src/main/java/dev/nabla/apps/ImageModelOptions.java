package dev.nabla.apps;

import dev.nabla.data.ImagePreprocessing;
import dev.nabla.models.MobileNetV2;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of the commands that run an imported image classifier (classify, transfer): its ONNX file and its
 * image pipeline, by default the pretrained MobileNetV2's.
 */
final class ImageModelOptions {
    @Option(names = "--model", paramLabel = "FILE.onnx", description = "ONNX image classifier (default: the"
            + " ImageNet-pretrained MobileNetV2, <data-dir>/" + MobileNetV2.DEFAULT_FILE + ").")
    Path model;

    @Option(names = "--size", paramLabel = "N", description = "Input size: the shorter side resized to N*8/7, then"
            + " the centre N x N (default: 224).")
    Integer size;

    @Option(names = "--mean", arity = "3", paramLabel = "M", description = "Mean of pixel/255 per channel, R G B"
            + " (default: 0.5 0.5 0.5).")
    double[] mean;

    @Option(names = "--std", arity = "3", paramLabel = "S", description = "Standard deviation per channel, R G B"
            + " (default: 0.5 0.5 0.5).")
    double[] std;

    /** Whether the default network is used. */
    boolean isDefault() {
        return model == null;
    }

    /** The ONNX file, checked to exist. */
    Path file(Path dataDir) throws NoSuchFileException {
        Path file = model != null ? model : dataDir.resolve(MobileNetV2.DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + (model != null ? "" : " (the data folder is " + dataDir
                    + "; set --data-dir or NABLA_DATA, or give --model)"));
        }
        return file;
    }

    /** The image pipeline: the given numbers, the pretrained MobileNetV2's for those not given. */
    ImagePreprocessing preprocessing() {
        ImagePreprocessing d = MobileNetV2.PREPROCESSING;
        return ImagePreprocessing.of(size != null ? size : d.cropHeight(), mean != null ? mean : d.mean(),
                std != null ? std : d.std());
    }
}
