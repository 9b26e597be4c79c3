package dev.nabla.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ONNX model as plain, immutable Java values: what {@link OnnxReader} gives and {@link OnnxWriter} takes.
 *
 * @param irVersion the ONNX IR version of the file
 * @param opsetVersion the version of the default ({@code ai.onnx}) operator set
 * @param producerName the program that wrote the file (may be empty)
 * @param graphName the graph's name
 * @param graphInputs every input the graph declares, in order; older exporters list the weights here too
 * @param outputs the graph's outputs
 * @param nodes the nodes, each after the nodes whose outputs it reads
 * @param initializers the constant tensors by name, in file order
 */
public record OnnxModel(long irVersion, int opsetVersion, String producerName, String graphName,
                        List<ValueInfo> graphInputs, List<ValueInfo> outputs, List<Node> nodes,
                        Map<String, OnnxTensor> initializers) {

    /** The IR version a new model is written with: 8, which every current runtime reads. */
    public static final long DEFAULT_IR_VERSION = 8;
    /** The opset a new model is written with. */
    public static final int DEFAULT_OPSET = 13;

    /** Copies the collections so that the record stays immutable. */
    public OnnxModel {
        Objects.requireNonNull(producerName, "producerName");
        Objects.requireNonNull(graphName, "graphName");
        graphInputs = List.copyOf(graphInputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    }

    /** A new model written by Nabla: IR version 8, opset 13, producer "nabla"; initializers keep the list's order. */
    public static OnnxModel of(String graphName, List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes,
                               List<OnnxTensor> initializers) {
        Map<String, OnnxTensor> byName = new LinkedHashMap<>();
        for (OnnxTensor t : initializers) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("OnnxModel: initializer '" + t.name() + "' is given twice");
            }
        }
        return new OnnxModel(DEFAULT_IR_VERSION, DEFAULT_OPSET, OnnxWriter.PRODUCER, graphName, inputs, outputs,
                nodes, byName);
    }

    /** The model's real inputs: the graph inputs that no initializer gives a value (those are constants). */
    public List<ValueInfo> inputs() {
        List<ValueInfo> real = new ArrayList<>();
        for (ValueInfo input : graphInputs) {
            if (!initializers.containsKey(input.name())) {
                real.add(input);
            }
        }
        return List.copyOf(real);
    }

    /** The initializer of that name, failing with the name when there is none. */
    public OnnxTensor initializer(String name) {
        OnnxTensor t = initializers.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the model has no initializer '" + name + "'");
        }
        return t;
    }
}
