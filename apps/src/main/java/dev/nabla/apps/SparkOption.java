package dev.nabla.apps;

import dev.nabla.spark.MasterUrl;
import picocli.CommandLine.Option;

/** The {@code --spark MASTER} option of the commands whose long work can run on Apache Spark. */
final class SparkOption {
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the long work on Apache Spark: local[N] (N cores of this process), local[N,F] (F tries"
                    + " per task), spark://HOST:PORT, yarn or k8s://...; see the README, \"On a cluster\".")
    String master;

    /** Whether {@code --spark} was given. */
    boolean enabled() {
        return master != null;
    }

    /** Checks the master URL and that Spark is on the class path, before any work starts. */
    void check() {
        MasterUrl.check("--spark", master);
        MasterUrl.requireSpark("--spark");
    }
}
