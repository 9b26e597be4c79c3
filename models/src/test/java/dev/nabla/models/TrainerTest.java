package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.train.Batch;
import dev.nabla.train.BatchSource;
import dev.nabla.train.Dataset;
import dev.nabla.train.Solver;
import dev.nabla.train.Trainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The tutorial's train_model loop: phases, StepLR, best-val weights restored, loaders closed, the NaN guard. */
class TrainerTest {
    private static final Backend CPU = Backends.get("cpu");

    /** A loader over an in-memory set whose iterators count their closes (as a background loader must be closed). */
    private static final class Loader implements BatchSource {
        final Dataset data;
        final AtomicInteger closed = new AtomicInteger();

        Loader(Dataset data) {
            this.data = data;
        }

        @Override
        public Iterator<Batch> epoch(int epoch) {
            int[] order = new int[data.count()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            List<Batch> batches = new ArrayList<>();
            for (int from = 0; from < order.length; from += 16) {
                int to = Math.min(from + 16, order.length);
                batches.add(new Batch(data.values(order, from, to), data.batchShape(to - from),
                        data.labels(order, from, to)));
            }
            Iterator<Batch> it = batches.iterator();
            return new ClosingIterator(it, closed);
        }
    }

    private record ClosingIterator(Iterator<Batch> it, AtomicInteger closed) implements Iterator<Batch>, AutoCloseable {
        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public Batch next() {
            return it.next();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void trainsWithStepLrAndRestoresTheBestValWeights() {
        TwoLayerNet net = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), 1);
        Loader train = new Loader(SolverTest.blobs(400, 1));
        Dataset valSet = SolverTest.blobs(200, 2);
        Loader val = new Loader(valSet);
        Trainer t = new Trainer(net, new Trainer.Config().epochs(5).learningRate(1e-2).stepLr(2, 0.1));
        List<Trainer.Epoch> h = t.train(train, val);

        assertEquals(5, h.size());
        assertEquals(List.of(1e-2, 1e-2, 1e-3, 1e-3, 1e-4),
                h.stream().map(e -> Math.round(e.learningRate() * 1e6) / 1e6).toList(), "StepLR(2, 0.1)");
        assertTrue(h.get(4).train().loss() < h.get(0).train().loss(), "train loss should fall: " + h);
        assertEquals(400, h.get(0).train().samples());
        assertEquals(200, h.get(0).val().samples());
        assertEquals(10, train.closed.get() + val.closed.get(), "every epoch's iterators are closed");
        double best = h.stream().mapToDouble(e -> e.val().accuracy()).max().orElseThrow();
        assertEquals(best, t.bestValAcc());
        assertTrue(best > 0.85, "val accuracy " + best);
        // The restored weights are those of the best epoch: they score exactly its val accuracy.
        int[] order = new int[valSet.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        assertEquals(best, Solver.accuracy(net, valSet, order, order.length, 50, CPU, DType.FLOAT32), 1e-12);
    }

    @Test
    void theBestValEpochsWeightsAreRestoredNotTheLast() {
        TwoLayerNet net = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), 1);
        Dataset valSet = SolverTest.blobs(200, 2);
        Loader honest = new Loader(valSet);
        // In the last epoch every val label is wrong, so that epoch scores worst and must not be the one kept.
        int[] shifted = valSet.y().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = (shifted[i] + 1) % 3;
        }
        Loader liar = new Loader(new Dataset(valSet.x(), valSet.sampleShape(), shifted));
        BatchSource val = e -> e < 4 ? honest.epoch(e) : liar.epoch(e);
        Trainer t = new Trainer(net, new Trainer.Config().epochs(4).learningRate(1e-2));
        List<Trainer.Epoch> h = t.train(new Loader(SolverTest.blobs(400, 1)), val);
        assertTrue(t.bestEpoch() < 4, "best epoch " + t.bestEpoch() + ": " + h);
        assertTrue(h.get(3).val().accuracy() < 0.5, "the last epoch's val accuracy against wrong labels");
        int[] order = new int[valSet.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double restored = Solver.accuracy(net, valSet, order, order.length, 50, CPU, DType.FLOAT32);
        assertEquals(h.get(t.bestEpoch() - 1).val().accuracy(), restored, 1e-12);
    }

    @Test
    void aDivergingLossStopsNamingTheIterationAndEpoch() {
        TwoLayerNet net = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), 1);
        Loader train = new Loader(SolverTest.blobs(64, 1));
        float[] bad = new float[16 * 5];
        bad[3] = Float.NaN;
        BatchSource nan = e -> List.of(new Batch(bad, Shape.of(16, 5), new int[16])).iterator();
        String msg = assertThrows(IllegalStateException.class,
                () -> new Trainer(net, new Trainer.Config().epochs(1)).train(nan, train)).getMessage();
        assertTrue(msg.contains("iteration 1 (epoch 1)"), msg);
    }

    @Test
    void anEmptyLoaderIsAnError() {
        TwoLayerNet net = new TwoLayerNet(CPU, DType.FLOAT32, new TwoLayerNet.Config(5, 20, 3, 0, 0), 1);
        BatchSource empty = e -> List.<Batch>of().iterator();
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(net, new Trainer.Config().epochs(1)).train(empty, empty)).getMessage();
        assertTrue(msg.contains("train loader gave no batches"), msg);
    }
}
