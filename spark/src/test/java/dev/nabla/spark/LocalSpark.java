package dev.nabla.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one Spark context the tests share (starting one costs seconds): {@code local[2,2]}, two task slots in this
 * JVM, enough for two barrier replicas, and two tries per task (and per barrier stage) so that a failure is retried
 * as on a cluster; on loopback only.
 */
final class LocalSpark {
    private static JavaSparkContext context;

    private LocalSpark() {
    }

    static synchronized JavaSparkContext context() {
        if (context == null) {
            context = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("nabla-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.executor.heartbeatInterval", "1s")
                    .set("spark.stage.maxConsecutiveAttempts", "2"));
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        return context;
    }
}
