package dev.nabla.onnx;

import dev.nabla.onnx.proto.OnnxProtos.AttributeProto;
import dev.nabla.onnx.proto.OnnxProtos.NodeProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a graph's nodes in order: default domain only, attributes of the types {@link Attribute} holds, and every
 * input produced by an initializer, a graph input or an earlier node. Tensor attributes are only checked here and
 * decoded by {@link Planned#decode()}, after the whole model has passed.
 */
final class NodeReader {
    private final Path file;

    NodeReader(Path file) {
        this.file = file;
    }

    /** A checked node, its tensor attributes not yet decoded. */
    record Planned(String name, String opType, List<String> inputs, List<String> outputs,
                   List<PlannedAttribute> attributes) {
        Node decode() throws IOException {
            List<Attribute> decoded = new ArrayList<>(attributes.size());
            for (PlannedAttribute a : attributes) {
                decoded.add(a.tensor == null ? a.ready : Attribute.ofTensor(a.name, a.tensor.decode()));
            }
            return new Node(name, opType, inputs, outputs, decoded);
        }
    }

    /** Either a ready attribute or a tensor to decode. */
    record PlannedAttribute(String name, Attribute ready, TensorPlan tensor) {
    }

    /**
     * Checks {@code nodes}; {@code defined} holds the graph inputs and initializers, and gains every node output,
     * so that afterwards it can check the graph outputs.
     */
    List<Planned> check(List<NodeProto> nodes, Set<String> defined) throws IOException {
        Set<String> givenNames = new HashSet<>();
        for (NodeProto n : nodes) {
            if (!n.getName().isEmpty()) {
                givenNames.add(n.getName());
            }
        }
        List<Planned> planned = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            String name = n.getName().isEmpty() ? generatedName(n.getOpType(), i, givenNames) : n.getName();
            String where = Node.describe(name, n.getOpType());
            if (!n.getDomain().isEmpty() && !n.getDomain().equals(OnnxReader.ONNX_DOMAIN)) {
                throw new OnnxUnsupportedException(file, where, "domain '" + n.getDomain() + "' is not "
                        + "supported: only the default ONNX domain is");
            }
            for (String input : n.getInputList()) {
                if (!input.isEmpty() && !defined.contains(input)) {
                    throw new OnnxFormatException(file, where, "input '" + input + "' is produced by no "
                            + "initializer, graph input or earlier node");
                }
            }
            for (String output : n.getOutputList()) {
                if (!output.isEmpty() && !defined.add(output)) {
                    throw new OnnxFormatException(file, where, "output '" + output + "' is already defined "
                            + "(by an initializer, a graph input or an earlier node)");
                }
            }
            planned.add(new Planned(name, n.getOpType(), n.getInputList(), n.getOutputList(),
                    attributes(where, n.getAttributeList())));
        }
        return planned;
    }

    // Unnamed nodes are common (many exporters leave names out); the position keeps the name stable across reads.
    private static String generatedName(String opType, int index, Set<String> givenNames) {
        String name = opType + "_" + index;
        for (int k = 1; givenNames.contains(name); k++) {
            name = opType + "_" + index + "_" + k;
        }
        givenNames.add(name);
        return name;
    }

    private List<PlannedAttribute> attributes(String where, List<AttributeProto> protos) throws IOException {
        List<PlannedAttribute> out = new ArrayList<>(protos.size());
        Set<String> names = new HashSet<>();
        for (AttributeProto a : protos) {
            if (a.getName().isEmpty()) {
                throw new OnnxFormatException(file, where, "an attribute has no name");
            }
            if (!names.add(a.getName())) {
                throw new OnnxFormatException(file, where, "attribute '" + a.getName() + "' is given twice");
            }
            String at = where + ", attribute '" + a.getName() + "'";
            if (a.getType() == AttributeProto.AttributeType.TENSOR) {
                out.add(new PlannedAttribute(a.getName(), null, TensorPlan.check(file, at, a.getT())));
            } else {
                out.add(new PlannedAttribute(a.getName(), plain(at, a), null));
            }
        }
        return out;
    }

    private Attribute plain(String at, AttributeProto a) throws OnnxFormatException {
        String name = a.getName();
        return switch (a.getType()) {
            case INT -> Attribute.ofInt(name, a.getI());
            case INTS -> Attribute.ofInts(name, a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case FLOAT -> Attribute.ofFloat(name, a.getF());
            case FLOATS -> Attribute.ofFloats(name, floats(a));
            case STRING -> Attribute.ofString(name, a.getS().toStringUtf8());
            case STRINGS -> Attribute.ofStrings(name, a.getStringsList().stream().map(s -> s.toStringUtf8()).toList());
            case UNDEFINED -> throw new OnnxFormatException(file, at, "has no type");
            default -> throw new OnnxUnsupportedException(file, at, a.getType() + " attributes are not supported");
        };
    }

    private static float[] floats(AttributeProto a) {
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getFloats(i);
        }
        return out;
    }
}
