package dev.nabla.onnx;

import com.google.protobuf.ByteString;
import dev.nabla.io.AtomicFile;
import dev.nabla.onnx.proto.OnnxProtos.AttributeProto;
import dev.nabla.onnx.proto.OnnxProtos.GraphProto;
import dev.nabla.onnx.proto.OnnxProtos.ModelProto;
import dev.nabla.onnx.proto.OnnxProtos.NodeProto;
import dev.nabla.onnx.proto.OnnxProtos.OperatorSetIdProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorShapeProto;
import dev.nabla.onnx.proto.OnnxProtos.TypeProto;
import dev.nabla.onnx.proto.OnnxProtos.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an {@link OnnxModel} as an ONNX file: the model's IR version and default-domain opset, producer "nabla",
 * tensors as little-endian {@code raw_data}. The file is written whole or not at all (a temporary file in the same
 * folder, then renamed). The graph is not checked here: read the file back with {@link OnnxReader} for that.
 */
public final class OnnxWriter {
    /** The producer name written into every file. */
    public static final String PRODUCER = "nabla";

    private OnnxWriter() {
    }

    /** Writes {@code model} to {@code file}, replacing it only once the new content is complete. */
    public static void write(OnnxModel model, Path file) throws IOException {
        ModelProto proto = toProto(model);
        AtomicFile.write(file, proto::writeTo);
    }

    /** The protobuf form of {@code model}. */
    static ModelProto toProto(OnnxModel model) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(model.graphName());
        model.graphInputs().forEach(v -> graph.addInput(valueInfo(v)));
        model.outputs().forEach(v -> graph.addOutput(valueInfo(v)));
        model.initializers().values().forEach(t -> graph.addInitializer(tensor(t)));
        model.nodes().forEach(n -> graph.addNode(node(n)));
        return ModelProto.newBuilder()
                .setIrVersion(model.irVersion())
                .setProducerName(PRODUCER)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(model.opsetVersion()))
                .setGraph(graph)
                .build();
    }

    private static ValueInfoProto valueInfo(ValueInfo v) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(v.elementType().code());
        v.shape().ifPresent(dims -> tensor.setShape(shape(dims)));
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    private static TensorShapeProto shape(List<Dim> dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim d : dims) {
            TensorShapeProto.Dimension.Builder dim = shape.addDimBuilder();
            if (d.isFixed()) {
                dim.setDimValue(d.value());
            } else if (d.isNamed()) {
                dim.setDimParam(d.param());
            }
        }
        return shape.build();
    }

    static TensorProto tensor(OnnxTensor t) {
        TensorProto.Builder proto = TensorProto.newBuilder().setName(t.name()).setDataType(t.elementType().code());
        for (int d : t.shape().dims()) {
            proto.addDims(d);
        }
        return proto.setRawData(ByteString.copyFrom(LittleEndian.encode(t))).build();
    }

    private static NodeProto node(Node n) {
        NodeProto.Builder proto = NodeProto.newBuilder().setName(n.name()).setOpType(n.opType())
                .addAllInput(n.inputs()).addAllOutput(n.outputs());
        n.attributes().forEach(a -> proto.addAttribute(attribute(a)));
        return proto.build();
    }

    private static AttributeProto attribute(Attribute a) {
        AttributeProto.Builder proto = AttributeProto.newBuilder().setName(a.name());
        switch (a.type()) {
            case INT -> proto.setType(AttributeProto.AttributeType.INT).setI(a.asInt());
            case INTS -> {
                proto.setType(AttributeProto.AttributeType.INTS);
                for (long v : a.asInts()) {
                    proto.addInts(v);
                }
            }
            case FLOAT -> proto.setType(AttributeProto.AttributeType.FLOAT).setF(a.asFloat());
            case FLOATS -> {
                proto.setType(AttributeProto.AttributeType.FLOATS);
                for (float v : a.asFloats()) {
                    proto.addFloats(v);
                }
            }
            case STRING -> proto.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(a.asString()));
            case STRINGS -> {
                proto.setType(AttributeProto.AttributeType.STRINGS);
                a.asStrings().forEach(s -> proto.addStrings(ByteString.copyFromUtf8(s)));
            }
            case TENSOR -> proto.setType(AttributeProto.AttributeType.TENSOR).setT(tensor(a.asTensor()));
            default -> throw new IllegalStateException("unknown attribute type " + a.type());
        }
        return proto.build();
    }
}
