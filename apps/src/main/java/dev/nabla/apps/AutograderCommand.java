package dev.nabla.apps;

import dev.nabla.Backend;
import dev.nabla.check.Autograder;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nabla autograder}: every layer's forward against a worked example and backward against numeric gradients. */
@Command(name = "autograder", mixinStandardHelpOptions = true,
        description = "Check every layer: forward on worked examples, backward against numeric gradients (FLOAT64).")
final class AutograderCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend = new BackendOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Backend be = backend.resolve();
        PrintWriter out = spec.commandLine().getOut();
        List<Autograder.Result> results = Autograder.run(be);
        long failed = results.stream().filter(r -> !r.passed()).count();
        results.forEach(out::println);
        out.printf("%s: %d checks on backend %s, %d passed, %d failed%n", failed == 0 ? "PASSED" : "FAILED",
                results.size(), be.name(), results.size() - failed, failed);
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
