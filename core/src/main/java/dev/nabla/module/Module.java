package dev.nabla.module;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A piece of a network: it owns named parameters (and buffers, such as batch-norm statistics) and child modules,
 * and runs forward in a {@link Mode}. Its backward pass is its layer's hand-derived backward, not a tape: a
 * forward in a mode with {@link Mode#grad()} returns the output and a cache, and {@link #backward} turns the
 * output's gradient and that cache into the inputs' gradients, adding each parameter's gradient into a
 * {@link Gradients}.
 *
 * <p>Names are hierarchical ({@code block3.conv.weight}), in registration order, as PyTorch's
 * {@code named_parameters()}; a parameter reachable twice (a module used at two places) is listed once,
 * under its first name. To tie weights, use one module at both places: two modules built on the same tensor hold
 * two parameters, each updated.
 *
 * <p>A forward pass in inference mode changes nothing, so a network may serve predictions from several threads; a
 * training pass updates state (batch-norm running statistics, the dropout mask sequence) and is for one thread at
 * a time. A cache serves one backward pass: modules free what it holds as they use it.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a parameter of this module; {@code name} is local (no dots). */
    protected final Parameter addParameter(String name, Tensor value, Parameter.Kind kind) {
        Parameter p = new Parameter(value, kind);
        params.put(local(name), p);
        return p;
    }

    /** Registers a buffer: state that is saved and loaded but not trained (running statistics). */
    protected final Tensor addBuffer(String name, Tensor value) {
        buffers.put(local(name), value);
        return value;
    }

    /** Registers a child module under {@code name}; its parameters are then named {@code name.<theirs>}. */
    protected final <M extends Module> M addChild(String name, M child) {
        if (name.isEmpty() || children.containsKey(name)) {
            throw new IllegalArgumentException(kind() + ": child name '" + name + "' is empty or already used");
        }
        children.put(name, child);
        return child;
    }

    private String local(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException(kind() + ": '" + name + "' is empty, has a dot or is already used");
        }
        return name;
    }

    /** The child modules by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants by hierarchical name, each once, in a stable order. */
    public final Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** Every buffer of this module and its descendants by hierarchical name. */
    public final Map<String, Tensor> buffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** Parameters and buffers by name, the state a saved module holds (PyTorch's {@code state_dict()}). */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters().forEach((k, p) -> out.put(k, p.value()));
        out.putAll(buffers());
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> bs, Set<Object> seen) {
        if (ps != null) {
            params.forEach((k, p) -> {
                if (seen.add(p)) {
                    ps.put(prefix + k, p);
                }
            });
        }
        if (bs != null) {
            buffers.forEach((k, b) -> {
                if (seen.add(b)) {
                    bs.put(prefix + k, b);
                }
            });
        }
        children.forEach((k, c) -> c.collect(prefix + k + ".", ps, bs, seen));
    }

    /** This module's own counters that are not tensors (the dropout mask position); none by default. */
    protected Map<String, Long> ownCounters() {
        return Map.of();
    }

    /** Restores this module's own counters from {@code counters} (its keys as {@link #ownCounters} gave them). */
    protected void restoreOwnCounters(Map<String, Long> counters) {
    }

    /** Every counter of this module and its descendants by hierarchical name (for an exact resume). */
    public final Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        collectCounters("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectCounters(String prefix, Map<String, Long> out, Set<Module> seen) {
        if (!seen.add(this)) {
            return;
        }
        ownCounters().forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, c) -> c.collectCounters(prefix + k + ".", out, seen));
    }

    /** Sets every counter named in {@code counters} (as {@link #counters()} names them). */
    public final void restoreCounters(Map<String, Long> counters) {
        restoreCounters("", counters, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void restoreCounters(String prefix, Map<String, Long> all, Set<Module> seen) {
        if (!seen.add(this)) {
            return;
        }
        Map<String, Long> own = new LinkedHashMap<>();
        for (String k : ownCounters().keySet()) {
            if (all.containsKey(prefix + k)) {
                own.put(k, all.get(prefix + k));
            }
        }
        restoreOwnCounters(own);
        children.forEach((k, c) -> c.restoreCounters(prefix + k + ".", all, seen));
    }

    /** Whether any parameter of this module or its descendants is trainable. */
    public final boolean hasTrainableParameters() {
        return parameters().values().stream().anyMatch(Parameter::trainable);
    }

    /** Freezes ({@code false}) or unfreezes every parameter of this module and its descendants. */
    public final void setTrainable(boolean trainable) {
        parameters().values().forEach(p -> p.setTrainable(trainable));
    }

    /**
     * Whether the output shares memory with the input (a reshape), and the input's gradient with the output's:
     * containers then leave those tensors to the garbage collector instead of closing them. A container answers true
     * when any module inside it does.
     */
    public boolean aliasesInput() {
        return false;
    }

    private boolean evalMode;

    /**
     * Keeps this module (and everything inside it) in inference behaviour even in a training pass, as PyTorch's
     * {@code submodule.eval()}: e.g. a frozen, pretrained part whose batch norms should keep normalizing with their
     * running statistics instead of the batch's. Containers apply it to their nodes.
     */
    public final void setEvalMode(boolean eval) {
        this.evalMode = eval;
    }

    /** Whether this module is kept in inference behaviour ({@link #setEvalMode}). */
    public final boolean evalMode() {
        return evalMode;
    }

    /** Whether this module takes {@code n} inputs (one, unless it joins several). */
    public boolean acceptsInputs(int n) {
        return n == 1;
    }

    /**
     * The output's shape for inputs of these shapes, or an {@link IllegalArgumentException} saying what was expected
     * and what came: every forward pass of a container checks this first, so a mis-wired network fails at once.
     */
    public abstract Shape outputShape(Shape... inputs);

    /** Multiply-adds of one forward pass on inputs of these shapes (convolutions, linear layers, batch norms). */
    public long multiplyAdds(Shape... inputs) {
        return 0;
    }

    /**
     * The forward pass: the output, and in a mode with {@link Mode#grad()} the cache {@link #backward} needs
     * (null otherwise, so inference keeps nothing).
     */
    public abstract Forward<?> forward(Mode mode, Tensor... inputs);

    /**
     * The backward pass from the output's gradient and the cache of a forward pass: one gradient per input, and
     * each parameter's gradient added into {@code grads}. The caller may close {@code dout} afterwards, so the
     * gradients returned never share its memory (unless {@link #aliasesInput()} says so); an entry may be null
     * where the module computes no gradient for that input.
     */
    public abstract Tensor[] backward(Tensor dout, Object cache, Gradients grads);

    /** The output in inference mode: {@code module(x)} after {@code module.eval()} in PyTorch. */
    public final Tensor apply(Tensor... inputs) {
        return forward(Mode.INFER, inputs).out();
    }

    /** Shapes, parameter counts and multiply-adds of every layer for inputs of these shapes. */
    public Summary summary(Shape... inputs) {
        return Summary.of(this, inputs);
    }

    /** Writes the state (parameters and buffers) as {@code .npy} files and a {@code model.json}, replacing the folder whole. */
    public final void save(Path dir) throws IOException {
        ModuleStore.save(dir, this);
    }

    /** Overwrites the state with the one saved in {@code dir}; names and shapes must match. */
    public final void load(Path dir) throws IOException {
        ModuleStore.load(dir, this);
    }

    /** The module's type as {@link #summary} and error messages name it. */
    public String kind() {
        return getClass().getSimpleName();
    }

    /** The single input of a one-input module, or an error naming the module. */
    protected final Tensor single(Tensor[] inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(kind() + " takes one input, got " + inputs.length);
        }
        return inputs[0];
    }

    /** The single input shape of a one-input module, or an error naming the module. */
    protected final Shape single(Shape[] inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(kind() + " takes one input, got " + inputs.length);
        }
        return inputs[0];
    }

    /** An error saying which input shape was expected and which came. */
    protected final IllegalArgumentException mismatch(String expected, Shape actual) {
        return new IllegalArgumentException(kind() + " expects input " + expected + " but got " + actual);
    }
}
