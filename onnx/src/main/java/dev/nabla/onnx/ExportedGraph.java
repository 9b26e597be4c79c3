package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.module.Graph;
import dev.nabla.module.Module;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX nodes and initializers of a graph being exported: graphs are walked node by node (nested ones inlined)
 * and each module is written by {@link ModuleExport}. A tensor shared by two modules (a module used twice) is
 * written once, under the name of its first use.
 */
final class ExportedGraph {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    private final Map<Tensor, String> written = new IdentityHashMap<>();

    /** Writes the nodes of {@code g}, named under {@code prefix}, reading these values; returns its output's value. */
    String inline(Graph g, String prefix, List<String> inputs, List<Shape> shapes) {
        Map<String, String> value = new LinkedHashMap<>();
        Map<String, Shape> shape = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            value.put(g.inputNames().get(i), inputs.get(i));
            shape.put(g.inputNames().get(i), shapes.get(i));
        }
        for (Graph.Node n : g.nodes()) {
            List<String> in = n.inputs().stream().map(value::get).toList();
            List<Shape> inShapes = n.inputs().stream().map(shape::get).toList();
            String path = prefix + n.name();
            Module m = n.module();
            String out = m instanceof Graph sub ? inline(sub, path + ".", in, inShapes)
                    : ModuleExport.write(this, path, m, in, inShapes);
            value.put(n.name(), out);
            shape.put(n.name(), m.outputShape(inShapes.toArray(Shape[]::new)));
        }
        return value.get(g.outputNode().name());
    }

    /** Adds a node named {@code name} whose output value is {@code name} too; returns that value. */
    String node(String name, String opType, List<String> inputs, Attribute... attributes) {
        return node(name, name, opType, inputs, attributes);
    }

    /** Adds a node named {@code name} with the output value {@code output}; returns that value. */
    String node(String name, String output, String opType, List<String> inputs, Attribute... attributes) {
        nodes.add(new Node(name, opType, inputs, List.of(output), List.of(attributes)));
        return output;
    }

    /** The initializer holding a module's tensor (transformed by {@code values} once), named {@code name} the first time. */
    String tensor(Tensor t, String name, Shape shape, float[] values) {
        String done = written.get(t);
        if (done != null) {
            return done;
        }
        written.put(t, name);
        return constant(OnnxTensor.ofFloats(name, shape, values));
    }

    /** A module's tensor as it is. */
    String tensor(Tensor t, String name) {
        return tensor(t, name, t.shape(), t.toFloatArray());
    }

    /** A constant that is no module's tensor (a shape, a bound); returns its name. */
    String constant(OnnxTensor c) {
        if (initializers.putIfAbsent(c.name(), c) != null) {
            throw new IllegalStateException("ExportedGraph: initializer '" + c.name() + "' written twice");
        }
        return c.name();
    }

    /** A graph input or output: FLOAT, axis 0 the symbolic batch N. */
    ValueInfo valueInfo(String name, Shape shape) {
        Dim[] dims = new Dim[shape.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i == 0 ? Dim.named("N") : Dim.of(shape.dim(i));
        }
        return ValueInfo.of(name, ElementType.FLOAT, dims);
    }

    List<Node> nodes() {
        return nodes;
    }

    List<OnnxTensor> initializers() {
        return List.copyOf(initializers.values());
    }
}
