package dev.nabla.spark;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of a {@code --spark MASTER} value made before any work starts, without Spark's classes (so that the
 * command line can report a bad value, or a missing Spark, in one line).
 */
public final class MasterUrl {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,\\s*\\d+)?])?");
    private static final Pattern OTHER = Pattern.compile("local-cluster\\[\\d+,\\s*\\d+,\\s*\\d+]|yarn|"
            + "(spark|k8s)://\\S+");

    private MasterUrl() {
    }

    /** {@code master} when it is a Spark master URL, else an error naming {@code option}. */
    public static String check(String option, String master) {
        if (master == null || !(LOCAL.matcher(master).matches() || OTHER.matcher(master).matches())) {
            throw new IllegalArgumentException(option + ": '" + master + "' is not a Spark master URL; use local[N]"
                    + " (N cores in this process), local[N,F] (F tries per task), spark://HOST:PORT, yarn or"
                    + " k8s://https://HOST:PORT");
        }
        return master;
    }

    /** The cores of a {@code local[N]} master (all of this machine's for {@code local[*]}); empty for a cluster. */
    public static OptionalInt localCores(String master) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        String n = m.group(2);
        return OptionalInt.of(n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors()
                : Integer.parseInt(n));
    }

    /**
     * How many tasks a {@code local[N]} master runs at once: its cores over {@code spark.task.cpus} (a {@code -D}
     * property here, 1 unless set); empty for a cluster, whose slots only the cluster knows.
     */
    public static OptionalInt localSlots(String master) {
        OptionalInt cores = localCores(master);
        int perTask = Math.max(1, Integer.getInteger("spark.task.cpus", 1));
        return cores.isPresent() ? OptionalInt.of(cores.getAsInt() / perTask) : cores;
    }

    /** Fails with a clear message, naming {@code option}, when Spark's classes are not on the class path. */
    public static void requireSpark(String option) {
        try {
            Class.forName("org.apache.spark.SparkContext", false, MasterUrl.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(option + " needs Apache Spark on the class path: run it with ./nabla,"
                    + " which adds the Spark of spark/target/spark-classpath.txt, or with spark-submit");
        }
    }
}
