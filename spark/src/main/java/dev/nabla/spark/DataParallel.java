package dev.nabla.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Runs P replicas of a job together as one Spark barrier stage (gang-scheduled: all start, or none), each connected
 * to the others by a {@link RingAllReduce}. Spark's barrier mode is what makes the replicas a group: when one task
 * fails, Spark kills the others and runs the whole stage again from the start (up to
 * {@code spark.stage.maxConsecutiveAttempts}, 4, tries), so a retry never resumes from a partial average; when the
 * tries run out the job fails with the first error.
 */
public final class DataParallel {
    private DataParallel() {
    }

    /** The work of one replica: its ring to the others and a progress channel; rank 0's result is the job's. */
    @FunctionalInterface
    public interface Replica<R> extends Serializable {
        /** Runs this replica. */
        R run(RingAllReduce ring, Progress progress) throws Exception;
    }

    /**
     * Runs {@code replicas} replicas of {@code work} and returns replica 0's result. The master must offer at least
     * {@code replicas} task slots at once. {@code wireFloats}: gradients travel as floats (a FLOAT32 model).
     */
    public static <R extends Serializable> R run(JavaSparkContext sc, String job, int replicas, boolean wireFloats,
                                                 int timeoutSeconds, Replica<R> work) {
        if (replicas < 1) {
            throw new IllegalArgumentException(job + ": replicas must be at least 1, got " + replicas);
        }
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            ranks.add(i);
        }
        Progress progress = Progress.register(sc, job);
        sc.setJobDescription(job + ": " + replicas + " replicas");
        Function1<Iterator<Integer>, Iterator<R>> replica = (Function1<Iterator<Integer>, Iterator<R>> & Serializable)
                ignored -> {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            String address = ctx.getTaskInfos()[ctx.partitionId()].address();
            String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
            RingAllReduce.Rendezvous rendezvous = new RingAllReduce.Rendezvous() {
                @Override
                public int rank() {
                    return ctx.partitionId();
                }

                @Override
                public String[] exchange(String mine) {
                    return ctx.allGather(mine);
                }
            };
            return CollectionConverters.asScala(Unchecked.call(() -> {
                try (RingAllReduce ring = RingAllReduce.connect(rendezvous, host, wireFloats, timeoutSeconds * 1000)) {
                    progress.report("replica " + ring.rank() + " of " + replicas + " connected (" + host + ", attempt "
                            + (ctx.stageAttemptNumber() + 1) + ")");
                    R result = work.run(ring, progress);
                    return ring.rank() == 0 ? List.of(result).iterator() : List.<R>of().iterator();
                }
            }));
        };
        try {
            @SuppressWarnings("unchecked")
            Class<R> type = (Class<R>) (Class<?>) Object.class;
            // The shuffle after the barrier stage makes it a map stage, which Spark retries whole when a replica
            // fails (a barrier result stage it never retries).
            List<R> results = sc.parallelize(ranks, replicas).rdd().barrier()
                    .mapPartitions(replica, false, ClassTag$.MODULE$.apply(type)).toJavaRDD().repartition(1).collect();
            return results.get(0);
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            throw new IllegalStateException(job + " failed, and no weights were produced (a replica's error ends every"
                    + " replica of the step): " + e.getMessage(), e);
        }
    }
}
