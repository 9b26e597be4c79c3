package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The workload runner: for each (backend, workload) one line in the format of {@code workloads.md},
 * {@code backend=cpu workload=W1 ms=41.7 throughput=88.2 unit=GFLOP/s}, or
 * {@code backend=cpu workload=W6 error="reason"} when it cannot run; nothing else goes to the output.
 *
 * <p>{@code ms} is the median wall time of the timed iterations, taken after the warm-up ones, in this JVM.
 */
public final class Workloads {
    /**
     * Warm-up and timed iteration counts; workloads.md asks for at least 3 and 10. Warm-up also lasts at
     * least {@link #WARMUP_NANOS} unless it is 0: three fast iterations are over before C2 has compiled the kernels (the
     * Vector API ones run 2x slower until then).
     */
    public record Options(int warmup, int iterations) {
        /** The minimum workloads.md allows. */
        public static final Options DEFAULT = new Options(3, 10);
        /** Least warm-up time per workload. */
        public static final long WARMUP_NANOS = 2_000_000_000L;

        /** Checks the counts. */
        public Options {
            if (warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("bench: need warmup >= 0 and iterations >= 1, got warmup " + warmup
                        + ", iterations " + iterations);
            }
        }
    }

    private Workloads() {
    }

    /** Runs every workload on every backend, backend by backend, handing each result line to {@code out}. */
    public static void run(List<String> backends, List<Workload> workloads, Options options, Consumer<String> out) {
        for (String name : backends) {
            Backend be;
            try {
                be = Backends.get(name);
            } catch (RuntimeException e) {
                workloads.forEach(w -> out.accept(error(name, w, e)));
                continue;
            }
            for (Workload w : workloads) {
                out.accept(measure(be, w, options));
            }
        }
    }

    /** One result line for workload {@code w} on {@code be}. */
    static String measure(Backend be, Workload w, Options options) {
        try {
            Runnable step = w.prepare(be);
            long warmStart = System.nanoTime();
            for (int i = 0; i < options.warmup()
                    || options.warmup() > 0 && System.nanoTime() - warmStart < Options.WARMUP_NANOS; i++) {
                step.run();
            }
            double[] ms = new double[options.iterations()];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                step.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double median = median(ms);
            double[] ci = interval(ms);
            double throughput = w.workPerIteration() / (median / 1e3);
            return String.format(Locale.ROOT, "backend=%s workload=%s ms=%s ms_lo=%s ms_hi=%s throughput=%s unit=%s",
                    be.name(), w, number(median), number(ci[0]), number(ci[1]), number(throughput), w.unit());
        } catch (RuntimeException e) {
            return error(be.name(), w, e);
        }
    }

    static double median(double[] values) {
        return new Median().evaluate(values);
    }

    /**
     * A 95% confidence interval for the median that assumes nothing about the distribution of the times (they
     * are skewed by other work on the machine): the j-th smallest and j-th largest time, with j the smallest
     * count a Binomial(n, 1/2) reaches with probability 2.5%, so the median lies between them with probability
     * at least 95% (97.9% for 10 iterations: the 2nd and 9th of 10). Fewer than 6 iterations give the range.
     */
    static double[] interval(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        int j = Math.max(1, new BinomialDistribution(null, n, 0.5).inverseCumulativeProbability(0.025));
        return new double[] {v[j - 1], v[n - j]};
    }

    /** Three significant figures at least, one decimal always: 1.31, 41.7, 10300.0. */
    static String number(double x) {
        String pattern = x >= 10 ? "%.1f" : x >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, x);
    }

    private static String error(String backend, Workload w, RuntimeException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // One line, and the closing quote stays the last character.
        reason = reason.replace('"', '\'').replaceAll("\\s+", " ").trim();
        return "backend=" + backend + " workload=" + w + " error=\"" + reason + "\"";
    }

    /** Parses workload ids (case-insensitive); an unknown one fails naming the valid ids. */
    public static List<Workload> parse(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of(Workload.values());
        }
        List<Workload> out = new ArrayList<>();
        for (String id : ids) {
            try {
                out.add(Workload.valueOf(id.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown workload '" + id + "'; choose from "
                        + Arrays.toString(Workload.values()), e);
            }
        }
        return out;
    }

    /** {@code java -cp ... dev.nabla.bench.Workloads [W1 ... SGEMM] [--backend cpu,nd4j]}; see {@code ./nabla bench}. */
    public static void main(String[] args) {
        List<String> ids = new ArrayList<>();
        List<String> backends = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--backend")) {
                if (i + 1 == args.length) {
                    usage("--backend needs a value, e.g. --backend cpu,nd4j");
                    return;
                }
                backends = Arrays.asList(args[++i].split(","));
            } else if (args[i].startsWith("-")) {
                usage("unknown option '" + args[i] + "' (this runner takes workload ids and --backend NAMES;"
                        + " ./nabla bench also takes --iterations and --warmup)");
                return;
            } else {
                ids.add(args[i]);
            }
        }
        List<Workload> workloads;
        try {
            workloads = parse(ids);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        // Only when none is named: asking every backend whether it can run loads ND4J's natives and threads,
        // which would share the machine with a cpu-only measurement.
        run(backends == null ? Backends.available() : backends, workloads, Options.DEFAULT, System.out::println);
    }

    private static void usage(String problem) {
        System.err.println("Workloads: " + problem);
        System.exit(2);
    }
}
