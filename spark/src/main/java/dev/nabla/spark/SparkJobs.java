package dev.nabla.spark;

import dev.nabla.Backend;
import dev.nabla.Backends;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting Spark for Nabla's jobs, and what a task needs from it. */
public final class SparkJobs {
    private static final Logger LOG = LoggerFactory.getLogger(SparkJobs.class);

    private SparkJobs() {
    }

    /**
     * A Spark context for {@code master}. Under {@code spark-submit} the master it was given must be the same (else
     * an error naming both); other settings come from {@code spark-submit --conf} or {@code -Dspark.*} properties.
     */
    public static JavaSparkContext start(String master, String appName) {
        MasterUrl.check("--spark", master);
        SparkConf conf = new SparkConf();
        String submitted = conf.get("spark.master", null);
        if (submitted != null && !submitted.equals(master)) {
            throw new IllegalArgumentException("--spark " + master + " but spark-submit was given --master "
                    + submitted + "; give both the same master");
        }
        conf.setMaster(master).setIfMissing("spark.app.name", appName);
        if (MasterUrl.localCores(master).isPresent()) {
            // Everything runs in this process: keep Spark's endpoints and the replicas' ring on loopback.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        LOG.info("Spark {} on {}: {} cores, {} a task{}", sc.version(), master, sc.defaultParallelism(),
                conf.getInt("spark.task.cpus", 1), sc.sc().uiWebUrl().isDefined()
                        ? ", web UI at " + sc.sc().uiWebUrl().get() : "");
        return sc;
    }

    /**
     * The backend named {@code name} for the running task, with as many intra-op threads as the task was given cores
     * ({@code spark.task.cpus}); outside a task, the process's own.
     */
    public static Backend taskBackend(String name) {
        TaskContext task = TaskContext.get();
        return task == null ? Backends.get(name) : Backends.get(name, task.cpus());
    }
}
