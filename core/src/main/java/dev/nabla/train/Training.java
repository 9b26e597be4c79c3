package dev.nabla.train;

import dev.nabla.Tensor;
import dev.nabla.io.ParamStore;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;

/** Small pieces of {@link TrainingLoop} and its faces: update, NaN guard, order, snapshots, random-generator state, ETA. */
final class Training {
    private Training() {
    }

    /** Applies one update to every parameter from its gradient; a missing gradient is an error naming it. */
    static void update(Optimizer optimizer, Map<String, Tensor> params, Model.Loss loss) {
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor grad = loss.grads().get(p.getKey());
            if (grad == null) {
                throw new IllegalStateException("the model's loss gave no gradient for parameter '" + p.getKey() + "'");
            }
            optimizer.update(p.getKey(), p.getValue(), grad);
        }
    }

    /** Stops training with an error naming the iteration when the loss is NaN or infinite. */
    static void requireFinite(double loss, int iteration, int epoch, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "training diverged: the loss is %s at iteration %d (epoch %d); lower the learning "
                            + "rate (now %g) or the weight scale", loss, iteration, epoch, learningRate));
        }
    }

    /** A copy of every parameter, for keeping the best weights. */
    static Map<String, Tensor> snapshot(Map<String, Tensor> params) {
        Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /** Copies each tensor of {@code from} into the parameter of the same name in {@code to}. */
    static void assign(Map<String, Tensor> to, Map<String, Tensor> from) {
        to.forEach((k, v) -> v.assign(from.get(k)));
    }

    /** Closes every tensor of a snapshot (native memory on some backends); null is a no-op. */
    static void close(Map<String, Tensor> snapshot) {
        if (snapshot != null) {
            snapshot.values().forEach(Tensor::close);
        }
    }

    /** 0, 1, ..., n-1. */
    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Fisher-Yates shuffle with the solver's seeded generator. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A random generator as a component a checkpoint saves and restores exactly: its serialized form (seed and the
     * cached Gaussian), in Base64. Random cannot be set to a saved state in place, so {@code replace} receives a copy
     * in that state for the owner to use from then on.
     */
    static TrainingLoop.Stateful stateOf(java.util.function.Supplier<Random> current,
                                         java.util.function.Consumer<Random> replace) {
        return new TrainingLoop.Stateful() {
            @Override
            public String save() {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                    out.writeObject(current.get());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
            }

            @Override
            public void restore(String saved) {
                byte[] b = java.util.Base64.getDecoder().decode(saved);
                try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b))) {
                    replace.accept((Random) in.readObject());
                } catch (IOException | ClassNotFoundException | ClassCastException e) {
                    throw new IllegalArgumentException("a saved random generator could not be read: " + e, e);
                }
            }
        };
    }

    /** An order that each epoch reshuffles in place (so it carries over between epochs) as a checkpointed component. */
    static TrainingLoop.Stateful stateOf(int[] order) {
        return new TrainingLoop.Stateful() {
            @Override
            public String save() {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * order.length);
                b.asIntBuffer().put(order);
                return java.util.Base64.getEncoder().encodeToString(b.array());
            }

            @Override
            public void restore(String saved) {
                java.nio.IntBuffer b = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(saved)).asIntBuffer();
                if (b.remaining() != order.length) {
                    throw new IllegalArgumentException("a saved order of " + b.remaining() + " samples cannot restore an"
                            + " order of " + order.length);
                }
                b.get(order);
            }
        };
    }

    /**
     * Epochs of {@code perEpoch} minibatch steps over {@code order}, which each epoch first reshuffles in place with
     * the generator {@code rng} gives (read at each epoch: a resumed run replaces it).
     */
    static TrainingLoop.Epochs shuffled(int[] order, java.util.function.Supplier<Random> rng, int perEpoch,
                                        java.util.function.IntFunction<TrainingLoop.Step> step) {
        return new TrainingLoop.Epochs() {
            @Override
            public int steps() {
                return perEpoch;
            }

            @Override
            public java.util.Iterator<TrainingLoop.Step> epoch(int epoch) {
                shuffle(order, rng.get());
                return java.util.stream.IntStream.range(0, perEpoch).mapToObj(step).iterator();
            }
        };
    }

    /** Seconds as {@code 42s} or {@code 3m05s}. */
    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
