package dev.nabla.spark;

import dev.nabla.Backend;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of synchronous data-parallel training, as a {@link Model} that an unchanged
 * {@link dev.nabla.train.Solver} trains. Every replica's Solver has the same seed, so all of them draw the same global
 * minibatch (augmentation included); each computes the loss on its own shard of it (replica r takes rows
 * {@code [B r / P, B (r+1) / P)}) and then, in one of two ways:
 *
 * <ul>
 *   <li>gradient averaging ({@code averageEvery == 0}): the gradients are summed over the replicas weighted by shard
 *   size, {@code sum_r (n_r / B) g_r}, which is the mean gradient of the whole batch even when P does not divide B
 *   (and a replica with an empty shard adds nothing). Every replica then makes the same optimizer update from the
 *   same sum, so the weights stay identical: the training is that of one process on the global batch, up to the
 *   rounding of the sum;</li>
 *   <li>parameter averaging ({@code averageEvery == k}, DL4J's): each replica updates its own weights from its shard
 *   for k steps, then the weights, the optimizer's state and the buffers are averaged. Cheaper to communicate by a
 *   factor k, and no longer the single-process training.</li>
 * </ul>
 *
 * <p>Buffers (batch-norm running statistics) are averaged whenever the model is read after training steps (its first
 * {@link #scores} call: an evaluation), so every replica evaluates, keeps and returns the same state. At the start
 * every replica takes replica 0's state. All replicas must make the same sequence of calls (the Solver does).
 */
public final class ReplicatedModel extends ForwardingModel {
    private final RingAllReduce ring;
    private final int averageEvery;
    private Optimizer optimizer;
    private int localSteps;
    private long steps;
    private long computeNanos;

    /** Replica {@code ring.rank()} of {@code model}; {@code averageEvery} 0 averages gradients every step. */
    public ReplicatedModel(Model model, RingAllReduce ring, int averageEvery) {
        super(model);
        if (averageEvery < 0) {
            throw new IllegalArgumentException("ReplicatedModel: averageEvery must be >= 0, got " + averageEvery);
        }
        this.ring = ring;
        this.averageEvery = averageEvery;
        List<Tensor> state = new ArrayList<>(model.state().values());
        double[] packed = pack(state, ring.rank() == 0 ? 1 : 0);
        ring.sum(packed);
        unpack(packed, state);
    }

    /** The optimizer whose state parameter averaging averages too (the Solver's: {@code solver.optimizer()}). */
    public void attach(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    @Override
    public Tensor scores(Tensor x) {
        synchronize();
        return model.scores(x);
    }

    @Override
    public Loss loss(Tensor x, int[] y) {
        if (averageEvery > 0 && localSteps == averageEvery) {
            synchronize();
        }
        long t = System.nanoTime();
        int b = y.length;
        int from = (int) ((long) b * ring.rank() / ring.size());
        int to = (int) ((long) b * (ring.rank() + 1) / ring.size());
        Loss local = null;
        if (from < to) {
            try (Tensor shard = rows(x, from, to)) {
                local = model.loss(shard, Arrays.copyOfRange(y, from, to));
            }
        }
        localSteps++;
        steps++;
        computeNanos += System.nanoTime() - t;
        if (averageEvery > 0) {
            if (local == null) {
                throw new IllegalArgumentException("parameter averaging needs at least one sample per replica: a batch of"
                        + " " + b + " for " + ring.size() + " replicas");
            }
            return local;
        }
        return averaged(local, (to - from) / (double) b);
    }

    /** The global batch's loss and mean gradient from this shard's, weighted by the shard's share of the batch. */
    private Loss averaged(Loss local, double share) {
        Map<String, Tensor> params = model.params();
        List<Tensor> grads = new ArrayList<>();
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor g = local == null ? null : local.grads().get(p.getKey());
            if (local != null && g == null) {
                throw new IllegalStateException("the model's loss gave no gradient for parameter '" + p.getKey() + "'");
            }
            grads.add(g != null ? g : p.getValue().backend().zeros(p.getValue().dtype(), p.getValue().shape()));
        }
        double[] packed = pack(grads, share, local == null ? 0 : local.value());
        ring.sum(packed);
        grads.forEach(Tensor::close);
        Map<String, Tensor> out = new LinkedHashMap<>();
        int offset = 1;
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor w = p.getValue();
            int n = w.shape().intSize();
            out.put(p.getKey(), w.backend().fromArray(Arrays.copyOfRange(packed, offset, offset + n), w.dtype(),
                    w.shape()));
            offset += n;
        }
        return new Loss(packed[0], out);
    }

    /**
     * Makes every replica's state the same: after local steps, parameter averaging averages weights, optimizer state
     * and buffers; gradient averaging (whose weights never differ) averages the buffers.
     */
    public void synchronize() {
        if (localSteps == 0) {
            return;
        }
        localSteps = 0;
        List<Tensor> shared = new ArrayList<>();
        Map<String, Tensor> params = model.params();
        model.state().forEach((name, t) -> {
            if (averageEvery > 0 || !params.containsKey(name)) {
                shared.add(t);
            }
        });
        if (averageEvery > 0) {
            if (optimizer == null) {
                throw new IllegalStateException("parameter averaging: attach the Solver's optimizer first");
            }
            params.keySet().forEach(name -> shared.addAll(Arrays.asList(optimizer.stateTensors(name))));
        }
        if (shared.isEmpty()) {
            return;
        }
        double[] packed = pack(shared, 1.0 / ring.size());
        ring.sum(packed);
        unpack(packed, shared);
    }

    /** Training steps taken (loss calls). */
    public long steps() {
        return steps;
    }

    /** Seconds spent computing this replica's shard (forward and backward), without communication. */
    public double computeSeconds() {
        return computeNanos / 1e9;
    }

    /** The communication of this replica. */
    public RingAllReduce ring() {
        return ring;
    }

    /** The values of {@code tensors} times {@code scale}, one after the other, after {@code head} leading values. */
    private static double[] pack(List<Tensor> tensors, double scale, double... head) {
        long total = head.length + tensors.stream().mapToLong(Tensor::size).sum();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ReplicatedModel: " + total + " values do not fit in one array");
        }
        double[] out = new double[(int) total];
        for (int i = 0; i < head.length; i++) {
            out[i] = head[i] * scale;
        }
        int offset = head.length;
        for (Tensor t : tensors) {
            double[] v = t.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                out[offset + i] = v[i] * scale;
            }
            offset += v.length;
        }
        return out;
    }

    /** Writes consecutive slices of {@code packed} into {@code tensors}. */
    private static void unpack(double[] packed, List<Tensor> tensors) {
        int offset = 0;
        for (Tensor t : tensors) {
            int n = t.shape().intSize();
            try (Tensor v = t.backend().fromArray(Arrays.copyOfRange(packed, offset, offset + n), t.dtype(), t.shape())) {
                t.assign(v);
            }
            offset += n;
        }
    }

    /** Rows {@code [from, to)} of a batch tensor, as a new tensor. */
    private static Tensor rows(Tensor x, int from, int to) {
        int[] dims = x.shape().dims();
        int per = x.shape().sizeFrom(1);
        dims[0] = to - from;
        Backend be = x.backend();
        return switch (x.dtype()) {
            case FLOAT64 -> be.fromArray(Arrays.copyOfRange(x.toDoubleArray(), from * per, to * per), x.dtype(),
                    Shape.of(dims));
            default -> be.fromArray(Arrays.copyOfRange(x.toFloatArray(), from * per, to * per), x.dtype(),
                    Shape.of(dims));
        };
    }
}
