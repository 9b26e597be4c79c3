package dev.nabla.models;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.data.ImagePreprocessing;
import dev.nabla.module.Classifier;
import dev.nabla.module.GlobalAvgPool;
import dev.nabla.module.Graph;
import dev.nabla.module.Linear;
import dev.nabla.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The pretrained image classifier of transfer learning: by default the ImageNet-pretrained MobileNetV2 1.0/224
 * ({@link #DEFAULT_FILE}), and as well any image classifier imported from ONNX whose graph ends in a linear layer
 * (a Gemm), such as a ResNet. {@link #load} imports the file with {@link OnnxImporter}; the graph's nodes and
 * parameters keep the file's names ({@code conv0.weight}, ..., {@code fc0.bias} for MobileNetV2).
 *
 * <p>{@link #scores} runs the graph up to the logits: a trailing Softmax in the file is left out, as the loss takes
 * scores. For transfer learning, {@link #withClassifier} puts a new linear head on the pretrained features and
 * {@link #freezeFeatures} freezes everything before it; {@link #loss} then runs the frozen part forward only and
 * back-propagates through the trainable part alone, as PyTorch does for parameters with
 * {@code requires_grad=False} (the graph's own rule for nodes that need no gradient).
 */
public final class MobileNetV2 extends Classifier {
    /** The pretrained network inside the data folder. */
    public static final String DEFAULT_FILE = "onnx/mobilenet_v2_1.0_224.onnx";

    /** Its ImageNet class names inside the data folder, line i = class i. */
    public static final String DEFAULT_LABELS = "pretrained/mobilenet_v2_1.0_224/labels.txt";

    /**
     * Its image pipeline: RGB scaled as {@code (pixel / 255 - 0.5) / 0.5}, shorter side 256 and a 224 centre crop
     * for evaluation (the data folder's README for the network).
     */
    public static final ImagePreprocessing PREPROCESSING = ImagePreprocessing.of(224, new double[] {0.5, 0.5, 0.5},
            new double[] {0.5, 0.5, 0.5});

    private final Graph graph;

    private MobileNetV2(Graph graph) {
        super(graph, 0);
        this.graph = graph;
    }

    /**
     * Imports the ONNX image classifier {@code file} onto {@code backend} as {@code dtype}, ending at its logits.
     *
     * @throws IOException naming the file (and the node) when it is missing, broken or uses what the importer
     *     does not take
     */
    public static MobileNetV2 load(Path file, Backend backend, DType dtype) throws IOException {
        return new MobileNetV2(OnnxImporter.load(file, OnnxImporter.Options.of(backend, dtype).logits(true)));
    }

    /** The network as a graph of modules. */
    public Graph graph() {
        return graph;
    }

    /** Logits (N, classes) for preprocessed images x (N, 3, H, W). */
    @Override
    public Tensor scores(Tensor x) {
        return graph.apply(x);
    }

    /** The node names in execution order. */
    public List<String> opNames() {
        return graph.nodes().stream().map(Graph.Node::name).toList();
    }

    /**
     * A copy of this network whose last linear layer is replaced by a new one with {@code classes}
     * outputs, initialised as PyTorch's {@code nn.Linear}: weights and bias uniform in
     * [-1/sqrt(in), 1/sqrt(in)]. The other modules are shared with this network, not copied, and so is whether
     * they are frozen ({@link #freezeFeatures} on either network freezes both).
     *
     * @throws IllegalStateException if the graph does not end in a linear layer
     */
    public MobileNetV2 withClassifier(int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("MobileNetV2.withClassifier: classes must be at least 1, got " + classes);
        }
        Graph.Node last = graph.outputNode();
        if (!(last.module() instanceof Linear head)) {
            throw new IllegalStateException("MobileNetV2.withClassifier: the last node '" + last.name() + "' ("
                    + last.module().kind() + ") is not a linear layer (an ONNX Gemm) to replace");
        }
        Tensor like = head.weight().value();
        Linear fresh = new Linear(like.backend(), like.dtype(), head.inFeatures(), classes, new Random(seed));
        return new MobileNetV2(graph.withModule(last.name(), fresh));
    }

    /**
     * Freezes every node before the classifier (the last node) or, with {@code false}, unfreezes all:
     * {@link #params} then lists only the classifier's weight and bias.
     */
    public void freezeFeatures(boolean frozen) {
        for (Graph.Node n : graph.nodes()) {
            n.module().setTrainable(!frozen || n == graph.outputNode());
        }
    }

    /** Whether the feature extractor is frozen. */
    public boolean featuresFrozen() {
        return graph.nodes().stream().filter(n -> n != graph.outputNode())
                .anyMatch(n -> !n.module().parameters().isEmpty() && !n.module().hasTrainableParameters());
    }

    /** Whether {@code paramName} (as in {@link #params}) belongs to the classifier, the last node. */
    public boolean isClassifierParam(String paramName) {
        return paramName.startsWith(graph.outputNode().name() + ".");
    }

    /** Number of classes the classifier scores. */
    public int classes() {
        return ((Linear) graph.outputNode().module()).outFeatures();
    }

    /** Every parameter, frozen or not, named as in {@link #params}. */
    public Map<String, Tensor> allParams() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        graph.parameters().forEach((k, p) -> out.put(k, p.value()));
        return out;
    }

    /**
     * The global-average-pooled features (N, C) for preprocessed images x: the input of the classifier, 1280-d for
     * MobileNetV2 1.0. Runs the nodes up to the first global average pool; {@link #scores} is unchanged.
     *
     * @throws IllegalStateException if the graph has no global average pool
     */
    public Tensor features(Tensor x) {
        for (Graph.Node n : graph.nodes()) {
            if (n.module() instanceof GlobalAvgPool) {
                return graph.output(n.name(), x);
            }
        }
        throw new IllegalStateException("MobileNetV2.features: the graph has no global average pool");
    }
}
