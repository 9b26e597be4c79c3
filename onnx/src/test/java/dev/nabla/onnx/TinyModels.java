package dev.nabla.onnx;

import dev.nabla.Shape;
import java.util.List;

/** Small models built in code, for the writer and for files broken on purpose. */
final class TinyModels {
    private TinyModels() {
    }

    static final OnnxTensor WEIGHT = OnnxTensor.ofFloats("fc.weight", Shape.of(3, 4),
            0.5f, -1.25f, 2f, 0f, 1e-7f, -3.5f, 4f, 0.125f, Float.MIN_VALUE, -0f, 7f, -8f);
    static final OnnxTensor BIAS = OnnxTensor.ofFloats("fc.bias", Shape.of(3), 0.1f, 0.2f, -0.3f);
    static final OnnxTensor NEW_SHAPE = OnnxTensor.ofLongs("reshape.shape", Shape.of(2), -1, 3);

    /**
     * x (N, 4) -> Gemm(transB) -> Reshape -> Relu -> Mul by a Constant -> y (N, 3): every attribute type, FLOAT and
     * INT64 initializers, a symbolic and a fixed dim, one unnamed node.
     */
    static OnnxModel small() {
        OnnxTensor scale = OnnxTensor.ofDoubles("", Shape.of(), 2.0);
        List<Node> nodes = List.of(
                new Node("fc", "Gemm", List.of("x", "fc.weight", "fc.bias"), List.of("h"), List.of(
                        Attribute.ofInt("transB", 1), Attribute.ofFloat("alpha", 1f), Attribute.ofFloat("beta", 1f))),
                new Node("reshape", "Reshape", List.of("h", "reshape.shape"), List.of("r"), List.of()),
                new Node("Relu_2", "Relu", List.of("r"), List.of("a"), List.of(
                        Attribute.ofInts("unused_ints", 1, -2, 3), Attribute.ofFloats("unused_floats", 0.5f, -1f),
                        Attribute.ofString("unused_string", "héllo"),
                        Attribute.ofStrings("unused_strings", List.of("a", "b")))),
                new Node("two", "Constant", List.of(), List.of("c"), List.of(Attribute.ofTensor("value", scale))),
                new Node("mul", "Mul", List.of("a", "c"), List.of("y"), List.of()));
        return OnnxModel.of("tiny",
                List.of(ValueInfo.of("x", ElementType.FLOAT, Dim.named("N"), Dim.of(4))),
                List.of(ValueInfo.of("y", ElementType.FLOAT, Dim.named("N"), Dim.of(3))),
                nodes, List.of(WEIGHT, BIAS, NEW_SHAPE));
    }

    /** {@link #small()} with its nodes replaced. */
    static OnnxModel withNodes(List<Node> nodes) {
        OnnxModel m = small();
        return new OnnxModel(m.irVersion(), m.opsetVersion(), m.producerName(), m.graphName(), m.graphInputs(),
                m.outputs(), nodes, m.initializers());
    }
}
