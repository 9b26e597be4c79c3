package dev.nabla.spark;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.data.DataDir;
import dev.nabla.models.DigitModels;
import dev.nabla.models.MobileNetV2;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Model;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Times training steps for the README's "On a cluster" figures: one process on the global batch (all cores, then one
 * thread) against P replicas on {@code local[P]}, each on its shard with one thread, gradients all-reduced.
 * {@code java -cp <test class path> dev.nabla.spark.StepTimes cnn|mobilenet STEPS [P]}; not a test.
 */
final class StepTimes {
    /** A workload: the model and its global batch. */
    record Workload(String name, int batch) implements Serializable {
        Model build(Backend be) throws IOException {
            return switch (name) {
                case "cnn" -> DigitModels.build(DigitModels.best(DigitModels.Kind.CNN), be, DType.FLOAT32, 0);
                case "mobilenet" -> MobileNetV2.load(DataDir.resolve(null).resolve(MobileNetV2.DEFAULT_FILE), be,
                        DType.FLOAT32).withClassifier(2, 0);
                default -> throw new IllegalArgumentException("workload: cnn or mobilenet, got " + name);
            };
        }

        Shape sample() {
            return name.equals("cnn") ? Shape.of(1, 28, 28) : Shape.of(3, 224, 224);
        }

        Tensor x(Backend be) {
            int[] dims = new int[4];
            dims[0] = batch;
            System.arraycopy(sample().dims(), 0, dims, 1, 3);
            Random r = new Random(1);
            float[] v = new float[Shape.of(dims).intSize()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            return be.fromArray(v, DType.FLOAT32, Shape.of(dims));
        }

        int[] y() {
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = i % 2;
            }
            return y;
        }
    }

    /**
     * Per-step figures of one run (rank 0's for replicas) in milliseconds: the fastest step (on a shared machine the
     * best estimate of the step alone) and the median; compute and all-reduce medians; bytes sent per step.
     */
    record Times(double fastestMs, double stepMs, double computeMs, double ringMs, long bytesPerStep, long parameters)
            implements Serializable {
    }

    public static void main(String[] args) throws Exception {
        Workload w = new Workload(args[0], args[0].equals("cnn") ? 50 : 16);
        int steps = Integer.parseInt(args[1]);
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Backend all = Backends.get("cpu");
        print(w, "1 process, all cores", oneProcess(w, all, steps));
        print(w, "1 process, 1 thread", oneProcess(w, Backends.get("cpu", 1), steps));
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[" + p + "]")
                .setAppName("step times").set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"))) {
            print(w, p + " replicas, 1 thread each", DataParallel.run(sc, "step times", p, true, 600,
                    (ring, progress) -> replica(w, steps, ring)));
        }
    }

    private static Times oneProcess(Workload w, Backend be, int steps) throws IOException {
        Model m = w.build(be);
        Optimizer opt = Optimizer.named("adam", 1e-4);
        Tensor x = w.x(be);
        double[] ms = new double[steps];
        for (int s = -2; s < steps; s++) { // two warm-up steps
            long t = System.nanoTime();
            update(opt, m, m.loss(x, w.y()));
            if (s >= 0) {
                ms[s] = (System.nanoTime() - t) / 1e6;
            }
        }
        return new Times(Arrays.stream(ms).min().orElseThrow(), median(ms), median(ms), 0, 0, parameters(m));
    }

    private static Times replica(Workload w, int steps, RingAllReduce ring) throws IOException {
        Model m = w.build(SparkJobs.taskBackend("cpu"));
        ReplicatedModel r = new ReplicatedModel(m, ring, 0);
        Optimizer opt = Optimizer.named("adam", 1e-4);
        Tensor x = w.x(m.params().values().iterator().next().backend());
        double[] ms = new double[steps];
        double[] compute = new double[steps];
        double[] comm = new double[steps];
        long bytes = 0;
        for (int s = -2; s < steps; s++) {
            long t = System.nanoTime();
            double c0 = r.computeSeconds();
            double r0 = ring.seconds();
            long b0 = ring.bytesSent();
            update(opt, r, r.loss(x, w.y()));
            if (s >= 0) {
                ms[s] = (System.nanoTime() - t) / 1e6;
                compute[s] = (r.computeSeconds() - c0) * 1e3;
                comm[s] = (ring.seconds() - r0) * 1e3;
                bytes = ring.bytesSent() - b0;
            }
        }
        return new Times(Arrays.stream(ms).min().orElseThrow(), median(ms), median(compute), median(comm), bytes,
                parameters(m));
    }

    private static void update(Optimizer opt, Model m, Model.Loss loss) {
        for (Map.Entry<String, Tensor> p : m.params().entrySet()) {
            opt.update(p.getKey(), p.getValue(), loss.grads().get(p.getKey()));
        }
    }

    private static long parameters(Model m) {
        return m.params().values().stream().mapToLong(Tensor::size).sum();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void print(Workload w, String how, Times t) {
        System.out.println(String.format(Locale.ROOT, "%s batch %d, %s: fastest step %.1f ms, median %.1f ms (compute"
                        + " %.1f ms, all-reduce %.1f ms), %,d bytes sent per replica and step, %,d parameters", w.name(),
                w.batch(), how, t.fastestMs(), t.stepMs(), t.computeMs(), t.ringMs(), t.bytesPerStep(), t.parameters()));
    }
}
