package dev.nabla.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.data.CaptionData;
import dev.nabla.data.CocoCaptioning;
import dev.nabla.data.FeatureScaling;
import dev.nabla.data.Vocabulary;
import dev.nabla.io.TestData;
import dev.nabla.train.CaptioningModel;
import dev.nabla.train.CaptioningSolver;
import dev.nabla.train.Model;
import dev.nabla.train.Solver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The captioning solver: the course's overfit run on every backend, the NaN guard, checkpoints, repeatability. */
class CaptioningSolverTest {
    static Stream<String> backends() {
        return Backends.available().stream();
    }

    static Path sample() {
        return TestData.file("coco_captioning/cs231n_layout_sample");
    }

    private static CaptioningSolver.Data solverData(CaptionData d) {
        return new CaptioningSolver.Data(d.features(), d.featureDim(), d.captions(), d.imageIdxs());
    }

    /** The course's small-data run: 50 captions, H 512, W 256, adam 5e-3 x0.95, 50 epochs of batch 25. */
    @ParameterizedTest
    @MethodSource("backends")
    void overfitsFiftyCaptionsBelowPointOneAndSamplesThemBack(String backend) throws IOException {
        Backend be = Backends.get(backend);
        Vocabulary vocab = CocoCaptioning.vocabulary(sample());
        CaptionData raw = CocoCaptioning.smallData(sample(), "mobilenet_v2_pool", vocab, 50);
        CaptionData d = FeatureScaling.fit(raw.features(), raw.featureDim()).apply(raw);
        CaptioningRNN model = new CaptioningRNN(be, DType.FLOAT32, new CaptioningRNN.Config(d.featureDim(), 256, 512,
                vocab.size(), CaptioningRNN.Cell.RNN, Vocabulary.NULL_ID), 0);
        Solver.Config config = new Solver.Config().updateRule("adam").learningRate(5e-3).lrDecay(0.95).epochs(50)
                .batchSize(25).printEvery(0).seed(0);
        CaptioningSolver solver = new CaptioningSolver(model, solverData(d), config);
        long t0 = System.nanoTime();
        solver.train();
        List<Double> h = solver.lossHistory();
        double last = h.get(h.size() - 1);
        System.out.printf(Locale.ROOT, "overfit %s: first loss %.2f, final %.4f, %.1f s%n", backend, h.get(0), last,
                (System.nanoTime() - t0) / 1e9);
        assertEquals(100, h.size(), "the course's 100 iterations");
        assertTrue(h.get(0) > 50, "an untrained network scores about 16 log V: " + h.get(0));
        assertTrue(last < 0.1, backend + ": final loss " + last);

        // Memorised: greedy sampling gives the training captions back.
        Tensor x = be.fromArray(d.features(), DType.FLOAT32, Shape.of(d.imageCount(), d.featureDim()));
        int[][] sampled = model.sample(x, Vocabulary.START_ID, Vocabulary.END_ID, 16);
        int exact = 0;
        for (int i = 0; i < d.captions().length; i++) {
            exact += vocab.decode(sampled[d.imageIdxs()[i]]).equals(vocab.decode(d.captions()[i])) ? 1 : 0;
        }
        assertTrue(exact >= 48, backend + ": only " + exact + " of 50 training captions sampled back");
    }

    @Test
    void theLstmAlsoSamplesItsTrainingCaptionsBack() throws IOException {
        Backend be = Backends.get("cpu");
        Vocabulary vocab = CocoCaptioning.vocabulary(sample());
        CaptionData raw = CocoCaptioning.smallData(sample(), "mobilenet_v2_pool", vocab, 10);
        CaptionData d = FeatureScaling.fit(raw.features(), raw.featureDim()).apply(raw);
        CaptioningRNN model = new CaptioningRNN(be, DType.FLOAT32, new CaptioningRNN.Config(d.featureDim(), 64, 128,
                vocab.size(), CaptioningRNN.Cell.LSTM, Vocabulary.NULL_ID), 1);
        new CaptioningSolver(model, solverData(d), new Solver.Config().updateRule("adam").learningRate(1e-2)
                .epochs(60).batchSize(10).printEvery(0).seed(1)).train();
        Tensor x = be.fromArray(d.features(), DType.FLOAT32, Shape.of(d.imageCount(), d.featureDim()));
        int[][] sampled = model.sample(x, Vocabulary.START_ID, Vocabulary.END_ID, 16);
        for (int i = 0; i < 10; i++) {
            assertEquals(vocab.decode(d.captions()[i]), vocab.decode(sampled[i]), "caption " + i);
        }
    }

    /** A model whose loss is 1, 1, NaN, ...: the guard must name iteration 3. */
    private static final class NanAtThree implements CaptioningModel {
        private final Map<String, Tensor> params = Map.of("w", Backends.get("cpu").zeros(DType.FLOAT64, Shape.of(1)));
        private int calls;

        @Override
        public Map<String, Tensor> params() {
            return params;
        }

        @Override
        public Model.Loss loss(Tensor features, int[][] captions) {
            calls++;
            return new Model.Loss(calls == 3 ? Double.NaN : 1, Map.of("w", params.get("w").copy()));
        }
    }

    @Test
    void aNanLossStopsTrainingNamingTheIteration() {
        CaptioningSolver.Data data = new CaptioningSolver.Data(new float[] {1, 2}, 1, new int[][] {{1, 2}, {1, 2}},
                new int[] {0, 1});
        CaptioningSolver s = new CaptioningSolver(new NanAtThree(), data, new Solver.Config().batchSize(1).epochs(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, s::train);
        assertTrue(e.getMessage().contains("iteration 3"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
    }

    @Test
    void dataThatDoesNotLineUpIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CaptioningSolver.Data(new float[] {1, 2}, 1, new int[][] {{1, 2}}, new int[] {2}));
        assertTrue(e.getMessage().contains("image 2"), e.getMessage());
    }

    @Test
    void checkpointsEveryEpochAndRepeatsWithTheSameSeed(@TempDir Path dir) throws IOException {
        Backend be = Backends.get("cpu");
        Vocabulary vocab = CocoCaptioning.vocabulary(sample());
        CaptionData d = CocoCaptioning.smallData(sample(), "mobilenet_v2_pool", vocab, 12);
        List<List<Double>> runs = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            CaptioningRNN model = new CaptioningRNN(be, DType.FLOAT32, new CaptioningRNN.Config(d.featureDim(), 8,
                    16, vocab.size(), CaptioningRNN.Cell.RNN, Vocabulary.NULL_ID), 3);
            CaptioningSolver s = new CaptioningSolver(model, solverData(d), new Solver.Config().updateRule("adam")
                    .learningRate(1e-2).epochs(2).batchSize(5).seed(9).printEvery(0)
                    .checkpointDir(dir.resolve("run" + run)));
            s.train();
            runs.add(s.lossHistory());
            assertEquals(2, s.epochs().size());
        }
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(4, runs.get(0).size(), "12 captions in batches of 5: 2 per epoch");
        for (String epoch : new String[] {"epoch_001", "epoch_002"}) {
            assertTrue(Files.isRegularFile(dir.resolve("run0").resolve(epoch).resolve("W_vocab.npy")), epoch);
            assertTrue(Files.readString(dir.resolve("run0").resolve(epoch).resolve("model.json")).contains("\"epoch\""));
        }
    }
}
