package dev.nabla.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the loader fuzz tests ({@code *FuzzTest}) share. Each input is written to a file that a loader then reads;
 * the input must load, or fail with an IOException whose message names the file (or its folder, for a loader that
 * reads several). Any other exception, an assertion error or an OutOfMemoryError is a finding.
 *
 * <p>Under {@code mvn verify} (profile {@code fuzz}, models' pom.xml) each target runs on its seeds, then as a
 * coverage-guided Jazzer run of {@code fuzz.seconds} seconds, in a JVM of its own; named with {@code -Dtest} it runs
 * on its seeds only (JUnit's regression mode). The inputs each target ran are printed, and appended to
 * {@code nabla.fuzz.report} when that is set.
 */
final class LoaderFuzzing {
    private static final Map<String, AtomicLong> INPUTS = new ConcurrentHashMap<>();
    private static final Map<String, Long> STARTED = new ConcurrentHashMap<>();
    private static final Map<String, Path> DIRS = new ConcurrentHashMap<>();

    private LoaderFuzzing() {
    }

    /** One read of the fuzzed file. */
    @FunctionalInterface
    interface Load {
        void run() throws IOException;
    }

    /** A folder of the target's own, made once per JVM, into which its inputs are written. */
    static Path dir(String target) {
        return DIRS.computeIfAbsent(target, t -> {
            try {
                return Files.createTempDirectory("nabla-fuzz-" + t);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Writes {@code input} to {@code file}, runs {@code load}, and fails unless it loads or names what it read. */
    static void loadsOrFailsNamingIt(String target, Path file, byte[] input, Load load) throws IOException {
        STARTED.putIfAbsent(target, System.nanoTime());
        INPUTS.computeIfAbsent(target, t -> new AtomicLong()).incrementAndGet();
        Files.write(file, input);
        try {
            load.run();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains(file.getParent().toString())) {
                throw new AssertionError(target + ": an IOException that does not name " + file + ": " + e, e);
            }
        }
    }

    /** The seeds as JUnit arguments, for a {@code @MethodSource} in front of {@code @FuzzTest}. */
    static Stream<Arguments> arguments(byte[]... seeds) {
        return Stream.of(seeds).map(s -> Arguments.of((Object) s));
    }

    /** {@code first} followed by {@code rest}: a seed whose first byte chooses a target's mode. */
    static byte[] prefixed(int first, byte[] rest) {
        byte[] out = new byte[rest.length + 1];
        out[0] = (byte) first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    /** Reports, after each fuzz test class, how many inputs each of its targets ran and for how long. */
    static final class Report implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            StringBuilder lines = new StringBuilder();
            INPUTS.forEach((target, count) -> lines.append(String.format(Locale.ROOT,
                    "fuzz %s: %d inputs in %.0f s (%s)%n", target, count.get(),
                    (System.nanoTime() - STARTED.get(target)) / 1e9,
                    System.getProperty("JAZZER_FUZZ") != null || System.getenv("JAZZER_FUZZ") != null
                            ? "coverage-guided" : "seeds only")));
            INPUTS.clear();
            System.out.print(lines);
            String report = System.getProperty("nabla.fuzz.report");
            if (report != null && !report.isBlank()) {
                Files.createDirectories(Path.of(report).toAbsolutePath().getParent());
                Files.writeString(Path.of(report), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }
    }
}
