package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Forward;
import dev.nabla.nn.Lstm;
import dev.nabla.nn.LstmStep;
import dev.nabla.nn.Rnn;
import dev.nabla.nn.RnnStep;
import dev.nabla.nn.SoftmaxLoss;
import dev.nabla.nn.TemporalAffine;
import dev.nabla.nn.TemporalSoftmaxLoss;
import dev.nabla.nn.WordEmbedding;
import dev.nabla.train.CaptioningModel;
import dev.nabla.train.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The course's captioning network: image feature (N, D) -> affine -> h0; caption words -> word
 * embedding -> RNN or LSTM -> temporal affine -> scores over the vocabulary, trained with the
 * masked temporal softmax loss.
 *
 * <p>Captions are (N, T+1) word ids starting with {@code <START>} and padded with {@code <NULL>}
 * (id {@link Config#nullId()}): the network reads {@code captions[:, :-1]} and predicts
 * {@code captions[:, 1:]}, and padded targets count neither in the loss nor the gradient.
 * Parameters, as named in the course: W_proj (D, H), b_proj (H), W_embed (V, W), Wx (W, gH),
 * Wh (H, gH), b (gH) with g = 1 for the RNN and 4 for the LSTM, W_vocab (H, V), b_vocab (V).
 */
public final class CaptioningRNN implements CaptioningModel {
    /** Which recurrent cell the network uses. */
    public enum Cell {
        /** The vanilla RNN: {@code tanh(x Wx + h Wh + b)}. */
        RNN(1),
        /** The LSTM, gates i, f, o, g. */
        LSTM(4);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    /** The network's sizes: feature D, word vector W, hidden H, vocabulary V; the {@code <NULL>} id. */
    public record Config(int inputDim, int wordVecDim, int hiddenDim, int vocabSize, Cell cell, int nullId) {
        /** Checks the sizes. */
        public Config {
            if (inputDim < 1 || wordVecDim < 1 || hiddenDim < 1 || vocabSize < 2 || cell == null
                    || nullId < 0 || nullId >= vocabSize) {
                throw new IllegalArgumentException("CaptioningRNN.Config: sizes must be positive, a cell given and"
                        + " nullId in [0, vocabSize); got inputDim=" + inputDim + ", wordVecDim=" + wordVecDim
                        + ", hiddenDim=" + hiddenDim + ", vocabSize=" + vocabSize + ", cell=" + cell + ", nullId="
                        + nullId); // not `this`: its fields are still unset (all zeros) in a compact constructor
            }
        }
    }

    private final Config config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    /**
     * A freshly initialized network, as in the course: W_embed ~ N(0, 0.01^2), every other weight
     * Gaussian with standard deviation 1/sqrt(fan-in), biases 0.
     */
    public CaptioningRNN(Backend be, DType dtype, Config config, long seed) {
        this.config = config;
        Random rng = new Random(seed);
        int d = config.inputDim();
        int w = config.wordVecDim();
        int h = config.hiddenDim();
        int v = config.vocabSize();
        int gh = config.cell().gates * h;
        params.put("W_proj", Tensors.randn(be, dtype, rng, 1 / Math.sqrt(d), d, h));
        params.put("b_proj", be.zeros(dtype, Shape.of(h)));
        params.put("W_embed", Tensors.randn(be, dtype, rng, 0.01, v, w));
        params.put("Wx", Tensors.randn(be, dtype, rng, 1 / Math.sqrt(w), w, gh));
        params.put("Wh", Tensors.randn(be, dtype, rng, 1 / Math.sqrt(h), h, gh));
        params.put("b", be.zeros(dtype, Shape.of(gh)));
        params.put("W_vocab", Tensors.randn(be, dtype, rng, 1 / Math.sqrt(h), h, v));
        params.put("b_vocab", be.zeros(dtype, Shape.of(v)));
    }

    /** The configuration this network was built with. */
    public Config config() {
        return config;
    }

    /** The parameters by name, in a stable order; an optimizer updates these tensors in place. */
    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    /** The loss on features (N, D) and captions (N, T+1), and the gradient of every parameter. */
    @Override
    public Model.Loss loss(Tensor features, int[][] captions) {
        int n = captions.length;
        if (n == 0 || captions[0].length < 2 || features.shape().rank() != 2 || features.shape().dim(0) != n) {
            throw new IllegalArgumentException("CaptioningRNN.loss: features has shape " + features.shape()
                    + " and captions " + n + " rows of " + (n == 0 ? 0 : captions[0].length)
                    + " ids: they need (N, D) and N rows of T+1 >= 2 ids");
        }
        int steps = captions[0].length - 1;
        int[][] in = new int[n][steps];
        int[][] out = new int[n][steps];
        boolean[][] mask = new boolean[n][steps];
        for (int i = 0; i < n; i++) {
            if (captions[i].length != steps + 1) {
                throw new IllegalArgumentException("CaptioningRNN.loss: captions[" + i + "] has "
                        + captions[i].length + " ids but captions[0] has " + (steps + 1));
            }
            System.arraycopy(captions[i], 0, in[i], 0, steps);
            System.arraycopy(captions[i], 1, out[i], 0, steps);
            for (int t = 0; t < steps; t++) {
                mask[i][t] = out[i][t] != config.nullId();
            }
        }
        Forward<Affine.Cache> proj = Affine.forward(features, params.get("W_proj"), params.get("b_proj"));
        Forward<WordEmbedding.Cache> embed = WordEmbedding.forward(in, params.get("W_embed"));
        Tensor wx = params.get("Wx");
        Tensor wh = params.get("Wh");
        Tensor b = params.get("b");
        Forward<Rnn.Cache> rnn = null;
        Forward<Lstm.Cache> lstm = null;
        Tensor hidden;
        if (config.cell() == Cell.RNN) {
            rnn = Rnn.forward(embed.out(), proj.out(), wx, wh, b);
            hidden = rnn.out();
        } else {
            lstm = Lstm.forward(embed.out(), proj.out(), wx, wh, b);
            hidden = lstm.out();
        }
        Forward<TemporalAffine.Cache> vocab = TemporalAffine.forward(hidden, params.get("W_vocab"),
                params.get("b_vocab"));
        SoftmaxLoss.Result loss = TemporalSoftmaxLoss.forwardBackward(vocab.out(), out, mask);

        Affine.Grads dvocab = TemporalAffine.backward(loss.dscores(), vocab.cache());
        Rnn.Grads g = rnn != null ? Rnn.backward(dvocab.dx(), rnn.cache()) : Lstm.backward(dvocab.dx(), lstm.cache());
        Affine.Grads dproj = Affine.backward(g.dh0(), proj.cache());
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("W_proj", dproj.dw());
        grads.put("b_proj", dproj.db());
        grads.put("W_embed", WordEmbedding.backward(g.dx(), embed.cache()));
        grads.put("Wx", g.dwx());
        grads.put("Wh", g.dwh());
        grads.put("b", g.db());
        grads.put("W_vocab", dvocab.dw());
        grads.put("b_vocab", dvocab.db());
        return new Model.Loss(loss.loss(), grads);
    }

    /**
     * Greedy decoding, as the course's {@code sample}: h0 from the features, the first input word
     * {@code <START>}, then at each step the highest-scoring word, fed back as the next input. A row that has
     * produced {@code endId} is finished: its later positions are {@code nullId} (the course keeps decoding
     * every row for all steps; the words after {@code <END>} are never read, and stopping saves the work once
     * every row is done).
     *
     * @param features (N, D) image features
     * @param maxLength the most words per caption (the {@code <END>} included)
     * @return (N, maxLength) word ids, without {@code <START>}
     */
    public int[][] sample(Tensor features, int startId, int endId, int maxLength) {
        if (features.shape().rank() != 2 || features.shape().dim(1) != config.inputDim()) {
            throw new IllegalArgumentException("CaptioningRNN.sample: features has shape " + features.shape()
                    + ", expected (N, " + config.inputDim() + ")");
        }
        if (maxLength < 1 || startId < 0 || startId >= config.vocabSize() || endId < 0
                || endId >= config.vocabSize()) {
            throw new IllegalArgumentException("CaptioningRNN.sample: maxLength " + maxLength + " must be at least 1 and"
                    + " the ids " + startId + ", " + endId + " in [0, " + config.vocabSize() + ")");
        }
        int n = features.shape().dim(0);
        int v = config.vocabSize();
        int[][] out = new int[n][maxLength];
        for (int[] row : out) {
            java.util.Arrays.fill(row, config.nullId());
        }
        boolean[] done = new boolean[n];
        int[][] word = new int[n][1];
        for (int[] w : word) {
            w[0] = startId;
        }
        Tensor h = Affine.forward(features, params.get("W_proj"), params.get("b_proj")).out();
        Tensor c = config.cell() == Cell.LSTM ? features.backend().zeros(features.dtype(), h.shape()) : null;
        int remaining = n;
        for (int t = 0; t < maxLength && remaining > 0; t++) {
            // Each step's tensors are closed once replaced: on a native backend they would otherwise wait for the GC.
            Tensor embedded = WordEmbedding.forward(word, params.get("W_embed")).out();
            Tensor x = embedded.reshape(n, config.wordVecDim());
            Tensor prevH = h;
            if (c == null) {
                h = RnnStep.forward(x, h, params.get("Wx"), params.get("Wh"), params.get("b")).out();
            } else {
                LstmStep.Result r = LstmStep.forward(x, h, c, params.get("Wx"), params.get("Wh"), params.get("b"));
                c.close();
                h = r.nextH();
                c = r.nextC();
            }
            prevH.close();
            embedded.close();
            Tensor stepScores = Affine.forward(h, params.get("W_vocab"), params.get("b_vocab")).out();
            float[] scores = stepScores.toFloatArray();
            stepScores.close();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int k = 1; k < v; k++) {
                    if (scores[i * v + k] > scores[i * v + best]) {
                        best = k;
                    }
                }
                word[i][0] = best;
                if (!done[i]) {
                    out[i][t] = best;
                    if (best == endId) {
                        done[i] = true;
                        remaining--;
                    }
                }
            }
        }
        h.close();
        if (c != null) {
            c.close();
        }
        return out;
    }
}
