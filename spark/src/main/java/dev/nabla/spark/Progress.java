package dev.nabla.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Live progress of a job's tasks in the driver's log. A task {@link #report reports} a line; the line travels in an
 * accumulator, which executors send to the driver with every heartbeat ({@code spark.executor.heartbeatInterval},
 * 10 s by default) and at the task's end, where a listener logs each line once. So the driver shows steps and losses
 * while the tasks run, not only when the job ends, and also says when a task ends or fails.
 */
public final class Progress implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final CollectionAccumulator<String> lines;

    private Progress(CollectionAccumulator<String> lines) {
        this.lines = lines;
    }

    /** A progress channel for the tasks of the jobs that {@code sc} runs next, logged on the driver as {@code job}. */
    public static Progress register(JavaSparkContext sc, String job) {
        CollectionAccumulator<String> acc = sc.sc().collectionAccumulator("nabla progress: " + job);
        sc.sc().addSparkListener(new Listener(job, acc.id()));
        return new Progress(acc);
    }

    /** On an executor: logs {@code line} there and sends it to the driver's log. */
    public void report(String line) {
        LOG.info(line);
        lines.add(line);
    }

    /** The driver's side: logs the lines of each task that it has not logged yet, and task ends. */
    private static final class Listener extends SparkListener {
        private final String job;
        private final long accumulatorId;
        private final Map<Long, Integer> logged = new ConcurrentHashMap<>();
        private final Map<Integer, Integer> stageTasks = new ConcurrentHashMap<>();
        private final Map<Integer, Integer> stageDone = new ConcurrentHashMap<>();

        Listener(String job, long accumulatorId) {
            this.job = job;
            this.accumulatorId = accumulatorId;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            stageTasks.put(e.stageInfo().stageId(), e.stageInfo().numTasks());
        }

        @Override
        public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
            CollectionConverters.asJava(e.accumUpdates()).forEach(u -> logNew((Long) u._1(),
                    CollectionConverters.asJava(u._4())));
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            long task = e.taskInfo().taskId();
            logNew(task, CollectionConverters.asJava(e.taskInfo().accumulables()));
            if (logged.remove(task) == null) {
                return; // a task of another job on this context, or one that never reported
            }
            String which = "task " + e.taskInfo().index() + " (attempt " + e.taskInfo().attemptNumber() + ")";
            if (e.taskInfo().successful()) {
                int done = stageDone.merge(e.stageId(), 1, Integer::sum);
                LOG.info("[{}] {} finished in {} s: {}/{} tasks done", job, which,
                        Math.round(e.taskInfo().duration() / 1000.0), done, stageTasks.getOrDefault(e.stageId(), 0));
            } else {
                LOG.warn("[{}] {} ended without a result: {}", job, which, e.reason());
            }
        }

        private void logNew(long task, List<AccumulableInfo> infos) {
            for (AccumulableInfo info : infos) {
                if (info.id() != accumulatorId || info.update().isEmpty()) {
                    continue;
                }
                List<?> all = (List<?>) info.update().get();
                int from = logged.getOrDefault(task, 0);
                for (int i = from; i < all.size(); i++) {
                    LOG.info("[{}] {}", job, all.get(i));
                }
                logged.put(task, Math.max(from, all.size()));
            }
        }
    }
}
