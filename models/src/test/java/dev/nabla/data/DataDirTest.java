package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataDirTest {
    private static final Path CWD = Path.of("").toAbsolutePath();

    @Test
    void explicitPathWins() {
        assertEquals(Path.of("/x/data"), DataDir.resolve(Path.of("/x/data"), "/from/env"));
    }

    @Test
    void environmentVariableComesNext() {
        assertEquals(Path.of("/from/env"), DataDir.resolve(null, "/from/env"));
    }

    @Test
    void dataInTheWorkingDirectoryComesLast() {
        assertEquals(CWD.resolve("data"), DataDir.resolve(null, null));
        assertEquals(CWD.resolve("data"), DataDir.resolve(null, "  "));
    }

    @Test
    void relativePathsAreTakenFromTheWorkingDirectory() {
        assertEquals(CWD.getParent().resolve("shared/data"), DataDir.resolve(null, "../shared/data"));
        assertEquals(CWD.resolve("d"), DataDir.resolve(Path.of("./d"), null));
    }
}
