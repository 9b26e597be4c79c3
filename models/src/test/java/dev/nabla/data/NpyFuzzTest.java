package dev.nabla.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.Shape;
import dev.nabla.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code .npy} reader (core's {@link Npy}, as the feature cache and saved models use it) on fuzzed files. */
@ExtendWith(LoaderFuzzing.Report.class)
class NpyFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        Path dir = LoaderFuzzing.dir("npy-seeds");
        Npy.write(dir.resolve("f4.npy"), Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6});
        Npy.write(dir.resolve("f8.npy"), Shape.of(3), new double[] {1, -2, 3.5});
        Npy.write(dir.resolve("i4.npy"), Shape.of(1, 2), new int[] {7, 8});
        Npy.write(dir.resolve("i8.npy"), Shape.of(2, 1), new long[] {9, 10});
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }";
        byte[] u1 = ("\u0093NUMPY\u0002\u0000" + (char) header.length() + "\u0000\u0000\u0000" + header + "\u0001\u0002"
                + "\u0003\u0004").getBytes(StandardCharsets.ISO_8859_1);
        return LoaderFuzzing.arguments(Files.readAllBytes(dir.resolve("f4.npy")), Files.readAllBytes(dir.resolve("f8.npy")),
                Files.readAllBytes(dir.resolve("i4.npy")), Files.readAllBytes(dir.resolve("i8.npy")), u1);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void npy(byte[] input) throws IOException {
        Path file = LoaderFuzzing.dir("npy").resolve("array.npy");
        LoaderFuzzing.loadsOrFailsNamingIt("npy", file, input, () -> Npy.read(file));
    }
}
