package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Image decoding on fuzzed files (JPEG, PNG, GIF, BMP, TIFF and the four-channel JPEGs as seeds), each decoded image
 * then put through the evaluation and training transforms at a small size, as classify and the loaders do.
 */
@ExtendWith(LoaderFuzzing.Report.class)
class ImageFuzzTest {
    private static final ImagePreprocessing PREP = new ImagePreprocessing(12, 8, 8, new double[] {0.5, 0.5, 0.5},
            new double[] {0.25, 0.25, 0.25});

    static Stream<Arguments> seeds() throws IOException {
        return LoaderFuzzing.arguments(TestImages.encoded("jpg", 24, 16), TestImages.encoded("png", 24, 16),
                TestImages.encoded("gif", 24, 16), TestImages.encoded("bmp", 24, 16), TestImages.encoded("tiff", 8, 6),
                TestImages.fourChannelJpeg(TestImages.FourChannels.ADOBE_CMYK),
                TestImages.fourChannelJpeg(TestImages.FourChannels.ADOBE_YCCK),
                TestImages.fourChannelJpeg(TestImages.FourChannels.UNLABELLED), TestImages.pngClaiming(3, 2));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void image(byte[] input) throws IOException {
        Path file = LoaderFuzzing.dir("image").resolve("image");
        LoaderFuzzing.loadsOrFailsNamingIt("image", file, input, () -> {
            ImageFile.checkHeader(file);
            var img = ImagePreprocessing.decode(file);
            PREP.evalTransform(img);
            PREP.trainTransform(img, new Random(0));
        });
    }
}
