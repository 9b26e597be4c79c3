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
