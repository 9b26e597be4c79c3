package dev.nabla.nd4j;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Add;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.ReLU6;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A JUnit-free profiling harness (not a test): times the pieces of the digit CNN's training step and
 * the MobileNetV2-shaped kernels on the backends named on the command line, in one JVM, so that the
 * figures compare side by side. Run from the module with the test class path, e.g.
 * {@code java -cp ... dev.nabla.nd4j.Nd4jProfile cnn cpu,nd4j 300} or {@code ... mnv2 cpu,nd4j 5}.
 *
 * <p>{@code cnn}: the step of {@code models}' ConvNet as {@code ./nabla digits} trains it (batch 50,
 * 32 filters 5x5, hidden 200, L2 1e-4, Adam), FLOAT32; prints the median step time, the mean time of
 * each piece, and the garbage collector's count and time over the timed steps.
 * {@code mnv2}: forward and backward of single layers at MobileNetV2's shapes, batch 8, median ms.
 */
public final class Nd4jProfile {
    private Nd4jProfile() {
    }

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "cnn";
        String[] backends = (args.length > 1 ? args[1] : "cpu,nd4j").split(",");
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        for (int round = 0; round < 2; round++) {
            for (String name : backends) {
                Backend be = Backends.get(name);
                if (what.equals("cnn")) {
                    cnn(be, iterations);
                } else {
                    mnv2(be, iterations, args.length > 3 ? args[3] : "");
                }
            }
        }
    }

    // ---------------------------------------------------------------- the digit CNN's training step

    private static final String[] PIECES = {"input", "conv_f", "relu_f", "pool_f", "fc2_f", "relu2_f", "fc3_f",
        "softmax", "fc3_b", "relu2_b", "fc2_b", "pool_b", "relu1_b", "conv_b", "reg", "adam"};

    private static void cnn(Backend be, int iterations) {
        Random rng = new Random(1);
        DType dt = DType.FLOAT32;
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("W1", Tensors.randn(be, dt, rng, 0.2, 32, 1, 5, 5));
        p.put("b1", be.zeros(dt, Shape.of(32)));
        p.put("W2", Tensors.randn(be, dt, rng, 0.02, 32 * 12 * 12, 200));
        p.put("b2", be.zeros(dt, Shape.of(200)));
        p.put("W3", Tensors.randn(be, dt, rng, 0.1, 200, 10));
        p.put("b3", be.zeros(dt, Shape.of(10)));
        Optimizer adam = new Adam(1e-3, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS);
        float[][] images = new float[8][50 * 28 * 28];
        for (float[] im : images) {
            for (int i = 0; i < im.length; i++) {
                im[i] = rng.nextFloat();
            }
        }
        int[] labels = new int[50];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        long[] acc = new long[PIECES.length];
        int warm = Math.max(30, iterations / 5);
        for (int i = 0; i < warm; i++) {
            cnnStep(be, p, adam, images[i % images.length], labels, acc);
        }
        Arrays.fill(acc, 0);
        long[] gc0 = gc();
        long flt0 = minorFaults();
        double[] steps = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            cnnStep(be, p, adam, images[i % images.length], labels, acc);
            steps[i] = (System.nanoTime() - t) / 1e6;
        }
        long[] gc1 = gc();
        long flt1 = minorFaults();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "cnn backend=%s median=%.2f ms mean=%.2f ms gc=%d (%.1f ms/step) faults/step=%d",
                be.name(), median(steps), Arrays.stream(steps).average().orElse(0), gc1[0] - gc0[0],
                (gc1[1] - gc0[1]) / (double) iterations, (flt1 - flt0) / iterations));
        for (int i = 0; i < PIECES.length; i++) {
            sb.append(String.format(Locale.ROOT, " %s=%.2f", PIECES[i], acc[i] / 1e6 / iterations));
        }
        System.out.println(sb);
    }

    private static void cnnStep(Backend be, Map<String, Tensor> p, Optimizer adam, float[] image, int[] y, long[] acc) {
        int k = 0;
        long t = System.nanoTime();
        Tensor x = be.fromArray(image, DType.FLOAT32, Shape.of(50, 1, 28, 28));
        t = lap(acc, k++, t);
        Forward<Conv2d.Cache> conv = Conv2d.forward(x, p.get("W1"), p.get("b1"));
        t = lap(acc, k++, t);
        Forward<ReLU.Cache> relu1 = ReLU.forward(conv.out());
        t = lap(acc, k++, t);
        Forward<MaxPool2d.Cache> pool = MaxPool2d.forward(relu1.out(), MaxPool2d.Spec.TWO_BY_TWO);
        t = lap(acc, k++, t);
        Forward<Affine.Cache> fc2 = Affine.forward(pool.out(), p.get("W2"), p.get("b2"));
        t = lap(acc, k++, t);
        Forward<ReLU.Cache> relu2 = ReLU.forward(fc2.out());
        t = lap(acc, k++, t);
        Forward<Affine.Cache> fc3 = Affine.forward(relu2.out(), p.get("W3"), p.get("b3"));
        t = lap(acc, k++, t);
        SoftmaxLoss.Result data = SoftmaxLoss.forwardBackward(fc3.out(), y);
        t = lap(acc, k++, t);
        Affine.Grads g3 = Affine.backward(data.dscores(), fc3.cache());
        t = lap(acc, k++, t);
        Tensor d2 = ReLU.backward(g3.dx(), relu2.cache());
        t = lap(acc, k++, t);
        Affine.Grads g2 = Affine.backward(d2, fc2.cache());
        t = lap(acc, k++, t);
        Tensor dRelu1 = MaxPool2d.backward(g2.dx(), pool.cache());
        t = lap(acc, k++, t);
        Tensor dConv = ReLU.backward(dRelu1, relu1.cache());
        t = lap(acc, k++, t);
        Conv2d.Grads g1 = Conv2d.backward(dConv, conv.cache());
        t = lap(acc, k++, t);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("W1", g1.dw());
        grads.put("b1", g1.db());
        grads.put("W2", g2.dw());
        grads.put("b2", g2.db());
        grads.put("W3", g3.dw());
        grads.put("b3", g3.db());
        double reg = 0;
        for (String w : new String[] {"W1", "W2", "W3"}) {
            reg += 0.5 * 1e-4 * p.get(w).sumOfSquares();
            grads.get(w).addScaled(1e-4, p.get(w));
        }
        t = lap(acc, k++, t);
        for (Map.Entry<String, Tensor> e : p.entrySet()) {
            adam.update(e.getKey(), e.getValue(), grads.get(e.getKey()));
        }
        lap(acc, k, t);
        if (!Double.isFinite(data.loss() + reg)) {
            throw new IllegalStateException("loss " + data.loss());
        }
    }

    private static long lap(long[] acc, int k, long t) {
        long now = System.nanoTime();
        acc[k] += now - t;
        return now;
    }

    /** Minor page faults of this process so far (field 10 of /proc/self/stat), or 0 off Linux. */
    private static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long[] gc() {
        long n = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    // ---------------------------------------------------------------- MobileNetV2-shaped kernels, batch 8

    private static void mnv2(Backend be, int reps, String filter) {
        Random rng = new Random(2);
        DType dt = DType.FLOAT32;
        List<String> lines = new ArrayList<>();
        // name, C, H, F, K, stride, pad (t, l, b, r), groups
        Object[][] convs = {
            {"conv0 3->32 3x3 s2 asym @224", 3, 224, 32, 3, 2, new int[] {0, 0, 1, 1}, 1},
            {"dw 32 3x3 s1 @112", 32, 112, 32, 3, 1, new int[] {1, 1, 1, 1}, 32},
            {"dw 96 3x3 s2 asym @112", 96, 112, 96, 3, 2, new int[] {0, 0, 1, 1}, 96},
            {"dw 144 3x3 s1 @56", 144, 56, 144, 3, 1, new int[] {1, 1, 1, 1}, 144},
            {"dw 144 3x3 s2 asym @56", 144, 56, 144, 3, 2, new int[] {0, 0, 1, 1}, 144},
            {"dw 576 3x3 s1 @14", 576, 14, 576, 3, 1, new int[] {1, 1, 1, 1}, 576},
            {"dw 960 3x3 s1 @7", 960, 7, 960, 3, 1, new int[] {1, 1, 1, 1}, 960},
            {"pw 32->16 @112", 32, 112, 16, 1, 1, new int[] {0, 0, 0, 0}, 1},
            {"pw 16->96 @112", 16, 112, 96, 1, 1, new int[] {0, 0, 0, 0}, 1},
            {"pw 24->144 @56", 24, 56, 144, 1, 1, new int[] {0, 0, 0, 0}, 1},
            {"pw 144->24 @56", 144, 56, 24, 1, 1, new int[] {0, 0, 0, 0}, 1},
            {"pw 160->960 @7", 160, 7, 960, 1, 1, new int[] {0, 0, 0, 0}, 1},
            {"pw 320->1280 @7", 320, 7, 1280, 1, 1, new int[] {0, 0, 0, 0}, 1},
        };
        for (Object[] c : convs) {
            String name = (String) c[0];
            if (!name.contains(filter)) {
                continue;
            }
            int ch = (int) c[1];
            int h = (int) c[2];
            int f = (int) c[3];
            int k = (int) c[4];
            int s = (int) c[5];
            int[] pad = (int[]) c[6];
            int g = (int) c[7];
            Conv2d.Spec spec = new Conv2d.Spec(s, s, pad[0], pad[1], pad[2], pad[3], g);
            Tensor x = Tensors.randn(be, dt, rng, 1, 8, ch, h, h);
            Tensor w = Tensors.randn(be, dt, rng, 0.1, f, ch / g, k, k);
            Tensor b = Tensors.randn(be, dt, rng, 0.1, f);
            Forward<Conv2d.Cache> fw = Conv2d.forward(x, w, b, spec);
            Tensor dout = Tensors.randn(be, dt, rng, 1, fw.out().shape().dims());
            double fwd = time(reps, () -> Conv2d.forward(x, w, b, spec).out());
            double bwd = time(reps, () -> Conv2d.backward(dout, fw.cache()).dx());
            lines.add(String.format(Locale.ROOT, "mnv2 backend=%s op=\"%s\" fwd=%.2f bwd=%.2f ms", be.name(), name,
                    fwd, bwd));
        }
        if ("relu6 add".contains(filter) || filter.isEmpty()) {
            Tensor x = Tensors.randn(be, dt, rng, 4, 8, 96, 112, 112);
            Tensor d = Tensors.randn(be, dt, rng, 1, 8, 96, 112, 112);
            Forward<ReLU6.Cache> r = ReLU6.forward(x);
            double fwd = time(reps, () -> ReLU6.forward(x).out());
            double bwd = time(reps, () -> ReLU6.backward(d, r.cache()));
            lines.add(String.format(Locale.ROOT, "mnv2 backend=%s op=\"relu6 8x96x112x112\" fwd=%.2f bwd=%.2f ms",
                    be.name(), fwd, bwd));
            Tensor a = Tensors.randn(be, dt, rng, 1, 8, 24, 56, 56);
            Tensor a2 = Tensors.randn(be, dt, rng, 1, 8, 24, 56, 56);
            Forward<Add.Cache> af = Add.forward(a, a2);
            double add = time(reps, () -> Add.forward(a, a2).out());
            double addB = time(reps, () -> Add.backward(a2, af.cache()).da());
            lines.add(String.format(Locale.ROOT, "mnv2 backend=%s op=\"add 8x24x56x56\" fwd=%.2f bwd=%.2f ms",
                    be.name(), add, addB));
        }
        lines.forEach(System.out::println);
    }

    private static double time(int reps, Supplier<Tensor> op) {
        for (int i = 0; i < 2; i++) {
            op.get().close();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            Tensor out = op.get();
            t[i] = (System.nanoTime() - s) / 1e6;
            out.close();
        }
        return median(t);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
