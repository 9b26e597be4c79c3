package dev.nabla.apps;

import dev.nabla.Backends;
import dev.nabla.bench.Workloads;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nabla bench}: the fixed workloads of workloads.md, one result line per (backend, workload). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the fixed workloads (W1-W6, SGEMM) and print one line per backend and workload.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WORKLOAD", arity = "0..*",
            description = "W1 W2 W3 W4 W5 W6 SGEMM (case-insensitive). Default: all.")
    List<String> workloads;

    // Its own option rather than BackendOption: bench takes a list, and runs a missing backend as error lines.
    @Option(names = "--backend", split = ",", paramLabel = "NAME",
            description = "Backends to measure, comma-separated (cpu,nd4j). Default: every available one.")
    List<String> backends;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup = Workloads.Options.DEFAULT.warmup();

    @Option(names = "--iterations", paramLabel = "N",
            description = "Timed iterations; the median is reported (default: ${DEFAULT-VALUE}).")
    int iterations = Workloads.Options.DEFAULT.iterations();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OptionCheck check = new OptionCheck(spec);
        check.atLeast("--warmup", warmup, 0);
        check.atLeast("--iterations", iterations, 1);
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = backends == null || backends.isEmpty() ? Backends.available() : backends;
        Workloads.run(names, Workloads.parse(workloads), new Workloads.Options(warmup, iterations), line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
