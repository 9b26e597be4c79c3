package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MNIST's IDX reader on fuzzed files. The first byte chooses the file: images or labels, plain, gzipped here (so
 * that the fuzzer's bytes reach the IDX parser), or given as a {@code .gz} as they are (the gzip reader's errors).
 */
@ExtendWith(LoaderFuzzing.Report.class)
class IdxFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        byte[] images = ByteBuffer.allocate(16 + 2 * 784).putInt(IdxFile.IMAGES_MAGIC).putInt(2).putInt(28).putInt(28)
                .array();
        Arrays.fill(images, 16, 16 + 784, (byte) 200);
        byte[] labels = ByteBuffer.allocate(8 + 3).putInt(IdxFile.LABELS_MAGIC).putInt(3).put((byte) 7).array();
        return LoaderFuzzing.arguments(LoaderFuzzing.prefixed(0, images), LoaderFuzzing.prefixed(1, labels),
                LoaderFuzzing.prefixed(2, images), LoaderFuzzing.prefixed(3, labels),
                LoaderFuzzing.prefixed(4, gzip(images)), LoaderFuzzing.prefixed(5, gzip(labels)));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void idx(byte[] input) throws IOException {
        int mode = input.length == 0 ? 0 : Byte.toUnsignedInt(input[0]) % 6;
        byte[] content = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        boolean images = mode % 2 == 0;
        boolean gz = mode >= 2;
        Path file = LoaderFuzzing.dir("idx").resolve((images ? "images" : "labels") + (gz ? ".idx.gz" : ".idx"));
        LoaderFuzzing.loadsOrFailsNamingIt("idx", file, mode == 2 || mode == 3 ? gzip(content) : content, () -> {
            // As Mnist.readPair reads a split: some items, a skip over the rest, then the end checked.
            try (IdxFile idx = images ? IdxFile.images(file) : IdxFile.labels(file)) {
                int kept = Math.min(idx.count, 3);
                idx.read(kept);
                idx.skip(idx.count - kept);
                idx.expectEnd();
            }
        });
    }
}
