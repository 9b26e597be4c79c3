package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    private static String run(String... args) {
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute(args));
        return out.toString();
    }

    @Test
    void printsOnlyResultLinesInTheWorkloadsFormat() {
        String out = run("bench", "W1", "w6", "--backend", "cpu,no-such", "--warmup", "0", "--iterations", "1");
        String[] lines = out.strip().split("\n");
        assertEquals(4, lines.length, out);
        assertTrue(lines[0].matches("backend=cpu workload=W1 ms=[0-9.]+ ms_lo=[0-9.]+ ms_hi=[0-9.]+ throughput=[0-9.]+ unit=GFLOP/s"), lines[0]);
        assertTrue(lines[1].matches("backend=cpu workload=W6 ms=[0-9.]+ ms_lo=[0-9.]+ ms_hi=[0-9.]+ throughput=[0-9.]+ unit=images/s"), lines[1]);
        assertTrue(lines[2].matches("backend=no-such workload=W1 error=\"Unknown backend 'no-such'[^\"]*\""), lines[2]);
        assertTrue(lines[3].startsWith("backend=no-such workload=W6 error="), lines[3]);
    }
}
