package dev.nabla.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nabla.onnx.proto.OnnxProtos.GraphProto;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import dev.nabla.onnx.proto.OnnxProtos.OperatorSetIdProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorShapeProto;
import dev.nabla.onnx.proto.OnnxProtos.TypeProto;
import dev.nabla.onnx.proto.OnnxProtos.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an ONNX file into an {@link OnnxModel}. Everything is checked before any tensor is decoded: the opset, the
 * domains, that each node input is produced before it is read, the element types, that each tensor's data fits its
 * dims, and that external data files exist and are long enough. A broken file throws {@link OnnxFormatException},
 * a well-formed one using what is not supported {@link OnnxUnsupportedException}; both name the file and the node
 * or tensor.
 */
public final class OnnxReader {
    /** The oldest opset of the default domain that is read. */
    public static final int MIN_OPSET = 11;
    /** The newest opset of the default domain that is read. */
    public static final int MAX_OPSET = 21;
    /** The default domain's long name; the empty string means the same. */
    static final String ONNX_DOMAIN = "ai.onnx";

    private final Path file;

    private OnnxReader(Path file) {
        this.file = file;
    }

    /** Reads and checks {@code file}; external data is looked for in the file's folder. */
    public static OnnxModel read(Path file) throws IOException {
        return new OnnxReader(file).read();
    }

    private OnnxModel read() throws IOException {
        ModelProto model = parse();
        int opset = opset(model);
        GraphProto graph = model.getGraph();
        if (graph.getSparseInitializerCount() > 0) {
            throw new OnnxUnsupportedException(file, "graph '" + graph.getName() + "'",
                    "sparse initializers are not supported");
        }
        Map<String, TensorPlan> initializers = new LinkedHashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            String where = "initializer '" + t.getName() + "'";
            if (initializers.put(t.getName(), TensorPlan.check(file, where, t)) != null) {
                throw new OnnxFormatException(file, where, "is given twice");
            }
        }
        List<ValueInfo> inputs = valueInfos("graph input", graph.getInputList());
        List<ValueInfo> outputs = valueInfos("graph output", graph.getOutputList());
        Set<String> defined = new HashSet<>(initializers.keySet());
        inputs.forEach(v -> defined.add(v.name()));
        List<NodeReader.Planned> nodes = new NodeReader(file).check(graph.getNodeList(), defined);
        for (ValueInfo output : outputs) {
            if (!defined.contains(output.name())) {
                throw new OnnxFormatException(file, "graph output '" + output.name() + "'",
                        "is produced by no node, initializer or graph input");
            }
        }
        return new OnnxModel(model.getIrVersion(), opset, model.getProducerName(), graph.getName(), inputs, outputs,
                decodeNodes(nodes), decodeInitializers(initializers));
    }

    private ModelProto parse() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file, null, "not an ONNX model: the file is truncated or not protobuf ("
                    + e.getMessage() + ")", e);
        }
        // Protobuf takes many byte strings as a message of unknown fields, so a parse alone proves little.
        if (!model.hasGraph() || model.getIrVersion() <= 0) {
            throw new OnnxFormatException(file, null, "not an ONNX model: it has no " + (model.hasGraph()
                    ? "IR version" : "graph"));
        }
        return model;
    }

    private int opset(ModelProto model) throws OnnxFormatException {
        for (OperatorSetIdProto op : model.getOpsetImportList()) {
            if (op.getDomain().isEmpty() || op.getDomain().equals(ONNX_DOMAIN)) {
                long version = op.getVersion();
                if (version < MIN_OPSET || version > MAX_OPSET) {
                    throw new OnnxUnsupportedException(file, null, "opset " + version + " of the default domain is "
                            + "not supported (opsets " + MIN_OPSET + "-" + MAX_OPSET + " are)");
                }
                return (int) version;
            }
        }
        throw new OnnxFormatException(file, null, "imports no opset of the default ONNX domain");
    }

    private List<ValueInfo> valueInfos(String role, List<ValueInfoProto> protos) throws OnnxFormatException {
        List<ValueInfo> out = new ArrayList<>(protos.size());
        for (ValueInfoProto v : protos) {
            String where = role + " '" + v.getName() + "'";
            if (v.getType().getValueCase() != TypeProto.ValueCase.TENSOR_TYPE) {
                throw new OnnxUnsupportedException(file, where, "is a " + v.getType().getValueCase()
                        + ", not a tensor");
            }
            TypeProto.Tensor tensor = v.getType().getTensorType();
            int code = tensor.getElemType();
            ElementType type = ElementType.ofCode(code).orElseThrow(() -> new OnnxUnsupportedException(file, where,
                    "element type code " + code + " is not supported"));
            Optional<List<Dim>> shape = tensor.hasShape() ? Optional.of(dims(where, tensor.getShape()))
                    : Optional.empty();
            out.add(new ValueInfo(v.getName(), type, shape));
        }
        return out;
    }

    private List<Dim> dims(String where, TensorShapeProto shape) throws OnnxFormatException {
        List<Dim> dims = new ArrayList<>(shape.getDimCount());
        for (TensorShapeProto.Dimension d : shape.getDimList()) {
            if (d.hasDimValue()) {
                if (d.getDimValue() < 0) {
                    throw new OnnxFormatException(file, where, "dimension " + dims.size() + " is "
                            + d.getDimValue());
                }
                dims.add(Dim.of(d.getDimValue()));
            } else {
                dims.add(d.hasDimParam() && !d.getDimParam().isEmpty() ? Dim.named(d.getDimParam()) : Dim.UNKNOWN);
            }
        }
        return dims;
    }

    private static List<Node> decodeNodes(List<NodeReader.Planned> planned) throws IOException {
        List<Node> nodes = new ArrayList<>(planned.size());
        for (NodeReader.Planned p : planned) {
            nodes.add(p.decode());
        }
        return nodes;
    }

    private static Map<String, OnnxTensor> decodeInitializers(Map<String, TensorPlan> plans) throws IOException {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorPlan> e : plans.entrySet()) {
            out.put(e.getKey(), e.getValue().decode());
        }
        return out;
    }
}
