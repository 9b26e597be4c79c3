package dev.nabla.module;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another, each to the previous one's output (PyTorch's {@code nn.Sequential}, DJL's
 * {@code SequentialBlock}): a {@link Graph} whose nodes form a chain, named {@code 0, 1, ...} or as given.
 */
public final class Sequential extends Graph {
    /** The single input's name. */
    public static final String INPUT = "input";

    private Sequential(List<Node> chain) {
        super(List.of(INPUT), chain, chain.get(chain.size() - 1).name());
    }

    /** The layers in order, named by position: {@code 0.weight}, {@code 1.bias}, ... */
    public static Sequential of(Module... layers) {
        Builder b = named();
        for (int i = 0; i < layers.length; i++) {
            b.add(Integer.toString(i), layers[i]);
        }
        return b.build();
    }

    /** A builder for a chain of named layers: {@code Sequential.named().add("conv", ...).add("relu", ...).build()}. */
    public static Builder named() {
        return new Builder();
    }

    /** Declares a {@link Sequential} layer by layer. */
    public static final class Builder {
        private final List<Node> chain = new ArrayList<>();

        private Builder() {
        }

        /** Appends {@code layer} under {@code name}; it reads the previous layer's output (the input, for the first). */
        public Builder add(String name, Module layer) {
            String previous = chain.isEmpty() ? INPUT : chain.get(chain.size() - 1).name();
            chain.add(new Node(name, layer, List.of(previous)));
            return this;
        }

        /** The chain; at least one layer. */
        public Sequential build() {
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("Sequential: no layers");
            }
            return new Sequential(chain);
        }
    }
}
