package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directed acyclic graph of named nodes, each a module applied to named values: the graph's inputs or other
 * nodes' outputs (DL4J's {@code ComputationGraph}, Keras' functional API). A node may read several values and a
 * value may be read by several nodes; on the way back the gradients of such a fan-out are summed.
 *
 * <p>The walk: forward in topological order (declaration order where the wiring allows); in a mode without
 * caches every intermediate value is closed as soon as its last reader has run. A node that has no trainable
 * parameter and reads nothing that needs a gradient (a frozen feature extractor) runs without caches even in a
 * training step, and the backward pass stops before it, as PyTorch's autograd does for
 * {@code requires_grad=False}. Backward visits the nodes in reverse, closing each gradient once used and every
 * intermediate value at the end.
 */
public class Graph extends Module {
    /** One node: its name (also the prefix of its parameters' names), its module, and the values it reads. */
    public record Node(String name, Module module, List<String> inputs) {
        /** Copies the input list. */
        public Node {
            inputs = List.copyOf(inputs);
        }
    }

    private final List<String> inputNames;
    private final List<Node> nodes;
    private final int output;
    /** For node k, the slots it reads: slot i < inputs is graph input i, else the output of node i - inputs. */
    private final int[][] reads;
    /** Per slot, the nodes reading it. */
    private final int[][] readers;

    /** A graph of these inputs and nodes (in any order; sorted here) whose value {@code output} is the result. */
    protected Graph(List<String> inputNames, List<Node> declared, String output) {
        this.inputNames = List.copyOf(inputNames);
        this.nodes = sort(this.inputNames, declared);
        Map<String, Integer> slot = new HashMap<>();
        for (int i = 0; i < this.inputNames.size(); i++) {
            slot.put(this.inputNames.get(i), i);
        }
        for (int k = 0; k < nodes.size(); k++) {
            slot.put(nodes.get(k).name(), this.inputNames.size() + k);
        }
        Integer out = slot.get(output);
        if (out == null || out < this.inputNames.size()) {
            throw new IllegalArgumentException("Graph: the output '" + output + "' is not a node");
        }
        this.output = out - this.inputNames.size();
        this.reads = new int[nodes.size()][];
        List<List<Integer>> readerLists = new ArrayList<>();
        for (int s = 0; s < slot.size(); s++) {
            readerLists.add(new ArrayList<>());
        }
        for (int k = 0; k < nodes.size(); k++) {
            Node node = nodes.get(k);
            if (!node.module().acceptsInputs(node.inputs().size())) {
                throw new IllegalArgumentException("Graph: node '" + node.name() + "' (" + node.module().kind()
                        + ") cannot take " + node.inputs().size() + " input(s)");
            }
            reads[k] = node.inputs().stream().mapToInt(slot::get).toArray();
            for (int s : reads[k]) {
                readerLists.get(s).add(k);
            }
            addChild(node.name(), node.module());
        }
        this.readers = readerLists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** A builder: name the inputs, add nodes, name the output (by default the last node added). */
    public static Builder builder() {
        return new Builder();
    }

    /** Declares a {@link Graph} node by node. */
    public static final class Builder {
        private final List<String> inputs = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private String output;

        private Builder() {
        }

        /** Names the graph's inputs, in the order {@link Graph#forward} takes them. */
        public Builder input(String... names) {
            inputs.addAll(Arrays.asList(names));
            return this;
        }

        /** Adds node {@code name} applying {@code module} to the named values. */
        public Builder node(String name, Module module, String... inputNames) {
            nodes.add(new Node(name, module, List.of(inputNames)));
            return this;
        }

        /** Makes node {@code name}'s value the graph's output. */
        public Builder output(String name) {
            this.output = name;
            return this;
        }

        /**
         * The graph, checked: every name unique, every input known, at least one node, no cycle.
         *
         * @throws IllegalArgumentException naming the node that reads an unknown value or closes a cycle
         */
        public Graph build() {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("Graph: no nodes");
            }
            return new Graph(inputs, nodes, output != null ? output : nodes.get(nodes.size() - 1).name());
        }
    }

    /** Topological order, keeping declaration order where the wiring allows; rejects unknown names and cycles. */
    private static List<Node> sort(List<String> inputs, List<Node> declared) {
        Map<String, Node> byName = new LinkedHashMap<>();
        for (String in : inputs) {
            if (byName.containsKey(in) || in.isEmpty()) {
                throw new IllegalArgumentException("Graph: input name '" + in + "' is empty or used twice");
            }
            byName.put(in, null);
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("Graph: no inputs");
        }
        for (Node n : declared) {
            if (byName.containsKey(n.name()) || n.name().isEmpty()) {
                throw new IllegalArgumentException("Graph: node name '" + n.name() + "' is empty or used twice");
            }
            byName.put(n.name(), n);
        }
        for (Node n : declared) {
            for (String in : n.inputs()) {
                if (!byName.containsKey(in)) {
                    throw new IllegalArgumentException("Graph: node '" + n.name() + "' reads '" + in
                            + "', which is neither a graph input " + inputs + " nor a node");
                }
            }
        }
        List<Node> order = new ArrayList<>();
        Set<String> done = new java.util.HashSet<>(inputs);
        List<Node> left = new ArrayList<>(declared);
        while (!left.isEmpty()) {
            Node next = left.stream().filter(n -> done.containsAll(n.inputs())).findFirst().orElse(null);
            if (next == null) {
                throw new IllegalArgumentException("Graph: " + cycle(left, byName, done));
            }
            order.add(next);
            done.add(next.name());
            left.remove(next);
        }
        return order;
    }

    /** Walks from a blocked node along unfinished inputs until a node repeats: that loop is a cycle. */
    private static String cycle(List<Node> left, Map<String, Node> byName, Set<String> done) {
        List<String> path = new ArrayList<>();
        Node n = left.get(0);
        while (!path.contains(n.name())) {
            path.add(n.name());
            String blocked = n.inputs().stream().filter(in -> !done.contains(in)).findFirst().orElseThrow();
            n = byName.get(blocked);
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(n.name()), path.size()));
        Collections.reverse(loop); // in the direction the values flow
        // Start at the node declared first, so the message reads as the user wrote the graph.
        String first = left.stream().map(Node::name).filter(loop::contains).findFirst().orElseThrow();
        Collections.rotate(loop, -loop.indexOf(first));
        loop.add(loop.get(0));
        return "the nodes " + String.join(" -> ", loop) + " form a cycle (node '" + loop.get(0) + "' needs its own"
                + " output)";
    }

    /** The graph's input names, in the order {@link #forward} takes them. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** The nodes in execution order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node whose value is the graph's output. */
    public Node outputNode() {
        return nodes.get(output);
    }

    /** A graph like this one with node {@code name}'s module replaced (the others shared, not copied). */
    public Graph withModule(String name, Module module) {
        List<Node> replaced = new ArrayList<>();
        boolean found = false;
        for (Node n : nodes) {
            found |= n.name().equals(name);
            replaced.add(n.name().equals(name) ? new Node(name, module, n.inputs()) : n);
        }
        if (!found) {
            throw new IllegalArgumentException("Graph: no node named '" + name + "'");
        }
        return new Graph(inputNames, replaced, outputNode().name());
    }

    @Override
    public boolean acceptsInputs(int n) {
        return n == inputNames.size();
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        return shapes(inputs)[inputNames.size() + output];
    }

    @Override
    public long multiplyAdds(Shape... inputs) {
        return summary(inputs).multiplyAdds();
    }

    /** Every slot's shape, each node checked in turn; a refusal names the node. */
    private Shape[] shapes(Shape... inputs) {
        requireInputs(inputs.length);
        Shape[] slots = new Shape[inputNames.size() + nodes.size()];
        System.arraycopy(inputs, 0, slots, 0, inputs.length);
        for (int k = 0; k < nodes.size(); k++) {
            slots[inputNames.size() + k] = checkedShape(k, gather(slots, reads[k], Shape[]::new));
        }
        return slots;
    }

    private Shape checkedShape(int k, Shape[] in) {
        Node node = nodes.get(k);
        try {
            return node.module().outputShape(in);
        } catch (IllegalArgumentException e) {
            throw ModuleException.at(node.name(), node.module(), e);
        }
    }

    @Override
    public Summary summary(Shape... inputs) {
        Shape[] slots = shapes(inputs);
        List<Summary.Row> rows = new ArrayList<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int k = 0; k < nodes.size(); k++) {
            Node node = nodes.get(k);
            Summary inner = node.module().summary(gather(slots, reads[k], Shape[]::new));
            // A module used at two nodes holds its parameters once.
            boolean again = !seen.add(node.module());
            for (Summary.Row r : Summary.nested(node.name(), inner)) {
                rows.add(again ? new Summary.Row(r.path(), r.kind(), r.outputShape(), 0, 0, r.multiplyAdds()) : r);
            }
        }
        return new Summary(List.copyOf(rows), slots[inputNames.size() + output]);
    }

    /** What a graph's backward pass needs: every value, every kept cache, and which slots need a gradient. */
    private record Cache(Tensor[] slots, Object[] caches, boolean[] needs) {
    }

    /** The forward pass; in a mode with caches the graph's inputs are given gradients by {@link #backward}. */
    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        return forward(mode, true, inputs);
    }

    /**
     * The forward pass; with {@code inputGrads} false a training pass computes no gradient for the graph's
     * inputs (the top of a network: the images need none), so nodes that only a frozen part feeds keep nothing.
     */
    public Forward<?> forward(Mode mode, boolean inputGrads, Tensor... inputs) {
        Cache c = run(mode, inputGrads, inputNames.size() + output, inputs);
        Tensor out = c.slots()[inputNames.size() + output];
        return new Forward<>(out, mode.grad() ? c : null);
    }

    /** The value of node {@code name} in inference mode, running only the nodes it depends on (Keras' intermediate outputs). */
    public Tensor output(String name, Tensor... inputs) {
        for (int k = 0; k < nodes.size(); k++) {
            if (nodes.get(k).name().equals(name)) {
                return run(Mode.INFER, false, inputNames.size() + k, inputs).slots()[inputNames.size() + k];
            }
        }
        throw new IllegalArgumentException("Graph: no node named '" + name + "'");
    }

    /** Runs the nodes that slot {@code result} depends on; see the class comment for what is kept. */
    private Cache run(Mode mode, boolean inputGrads, int result, Tensor[] inputs) {
        requireInputs(inputs.length);
        int nIn = inputNames.size();
        boolean[] used = ancestors(result);
        Tensor[] slots = new Tensor[nIn + nodes.size()];
        boolean[] needs = new boolean[slots.length];
        boolean[] held = new boolean[slots.length];
        System.arraycopy(inputs, 0, slots, 0, nIn);
        Arrays.fill(needs, 0, nIn, mode.grad() && inputGrads);
        Object[] caches = new Object[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            if (!used[nIn + k]) {
                continue;
            }
            Node node = nodes.get(k);
            Tensor[] in = gather(slots, reads[k], Tensor[]::new);
            checkedShape(k, Arrays.stream(in).map(Tensor::shape).toArray(Shape[]::new));
            boolean need = mode.grad() && (node.module().hasTrainableParameters()
                    || Arrays.stream(reads[k]).anyMatch(s -> needs[s]));
            Mode m = need ? mode : mode.withoutGrad();
            Forward<?> f;
            try {
                f = node.module().forward(node.module().evalMode() ? m.asEval() : m, in);
            } catch (IllegalArgumentException e) {
                throw ModuleException.at(node.name(), node.module(), e);
            }
            slots[nIn + k] = f.out();
            needs[nIn + k] = need;
            caches[k] = need ? f.cache() : null;
            for (int s : reads[k]) {
                held[s] |= need;
                if (slots[s] != null && lastReader(s, used) == k && !held[s] && s >= nIn && s != result
                        && !aliased(s)) {
                    slots[s].close();
                    slots[s] = null;
                }
            }
        }
        return new Cache(slots, caches, needs);
    }

    /** The slots the value of slot {@code result} depends on (itself included). */
    private boolean[] ancestors(int result) {
        int nIn = inputNames.size();
        boolean[] used = new boolean[nIn + nodes.size()];
        used[result] = true;
        for (int k = nodes.size() - 1; k >= 0; k--) {
            if (used[nIn + k]) {
                for (int s : reads[k]) {
                    used[s] = true;
                }
            }
        }
        return used;
    }

    private int lastReader(int slot, boolean[] used) {
        int last = -1;
        for (int k : readers[slot]) {
            if (used[inputNames.size() + k]) {
                last = Math.max(last, k);
            }
        }
        return last;
    }

    /**
     * Backward through the nodes in reverse. A gradient is "borrowed" when it shares memory with one this graph does
     * not own: the caller's {@code dout}, or a view of another gradient made by a reshaping module. Borrowed gradients
     * are never closed, and are copied before another gradient is summed into them.
     */
    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        if (!(cache instanceof Cache c)) {
            throw new IllegalStateException(kind() + ".backward needs the cache of a forward pass in a mode with"
                    + " caches (Mode.TRAIN or EVAL_GRAD), got " + cache);
        }
        int nIn = inputNames.size();
        Tensor[] up = new Tensor[c.slots().length];
        boolean[] borrowed = new boolean[up.length];
        up[nIn + output] = dout;
        borrowed[nIn + output] = true;
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Tensor d = up[nIn + k];
            if (!c.needs()[nIn + k] || d == null) {
                continue; // frozen, or its value does not reach the output
            }
            Node node = nodes.get(k);
            Tensor[] dIn;
            try {
                dIn = node.module().backward(d, c.caches()[k], grads);
            } catch (IllegalArgumentException e) {
                throw ModuleException.at(node.name(), node.module(), e);
            }
            up[nIn + k] = null;
            boolean views = node.module().aliasesInput();
            if (!borrowed[nIn + k] && !views) {
                d.close();
            }
            for (int i = 0; i < reads[k].length; i++) {
                accumulate(up, borrowed, reads[k][i], dIn[i], views, c.needs());
            }
        }
        // Every intermediate value is done with; the inputs are the caller's and the output is still theirs.
        for (int k = 0; k < nodes.size(); k++) {
            Tensor v = c.slots()[nIn + k];
            if (v != null && k != output && !aliased(nIn + k)) {
                v.close();
            }
        }
        return Arrays.copyOf(up, nIn);
    }

    /** Whether slot {@code s} shares memory with another value (made or read by a reshaping module). */
    private boolean aliased(int s) {
        int nIn = inputNames.size();
        if (s >= nIn && nodes.get(s - nIn).module().aliasesInput()) {
            return true;
        }
        return Arrays.stream(readers[s]).anyMatch(k -> nodes.get(k).module().aliasesInput());
    }

    /**
     * Adds {@code g} to the gradient of slot {@code s} (summing fan-outs), or drops it where none is needed;
     * {@code view} says that g shares memory with a gradient this graph does not own.
     */
    private static void accumulate(Tensor[] up, boolean[] borrowed, int s, Tensor g, boolean view, boolean[] needs) {
        if (g == null) {
            return;
        }
        if (!needs[s]) {
            if (!view) {
                g.close();
            }
        } else if (up[s] == null) {
            up[s] = g;
            borrowed[s] = view;
        } else {
            if (borrowed[s]) {
                up[s] = up[s].copy();
                borrowed[s] = false;
            }
            up[s].addScaled(1, g);
            if (!view) {
                g.close();
            }
        }
    }

    /** True when any node shares memory between its input and output: this graph's output may then alias its input. */
    @Override
    public boolean aliasesInput() {
        return nodes.stream().anyMatch(n -> n.module().aliasesInput());
    }

    private void requireInputs(int n) {
        if (n != inputNames.size()) {
            throw new IllegalArgumentException(kind() + ": takes " + inputNames.size() + " input(s) " + inputNames
                    + ", got " + n);
        }
    }

    private static <T> T[] gather(T[] slots, int[] which, java.util.function.IntFunction<T[]> make) {
        T[] out = make.apply(which.length);
        for (int i = 0; i < which.length; i++) {
            out[i] = slots[which[i]];
        }
        return out;
    }
}
