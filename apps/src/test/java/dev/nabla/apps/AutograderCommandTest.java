package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AutograderCommandTest {
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void cpuBackendPrintsOnlyPassLines() {
        Run r = run("autograder", "--backend", "cpu");
        assertEquals(0, r.status(), r.out());
        String[] lines = r.out().strip().split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            assertTrue(lines[i].startsWith("PASS "), lines[i]);
        }
        assertTrue(lines[lines.length - 1].startsWith("PASSED: "), lines[lines.length - 1]);
        assertTrue(r.out().contains("PASS conv dw "), "the convolution is checked");
        assertTrue(r.out().contains("PASS rnn dwh ") && r.out().contains("PASS lstm dwh ")
                && r.out().contains("PASS temporal_softmax_loss dscores "), "the recurrent layers are checked");
    }

    @Test
    void unknownBackendFailsWithTheListOfAvailableOnes() {
        Run r = run("autograder", "--backend", "no-such-backend");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Unknown backend 'no-such-backend'"), r.err());
        assertTrue(r.err().contains("Available backends: ") && r.err().contains("cpu"), r.err());
    }
}
