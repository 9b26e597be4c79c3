package dev.nabla.nn;

import dev.nabla.Tensor;

/** What a layer's forward pass returns, as in the course: {@code out, cache = layer_forward(...)}. */
public record Forward<C>(Tensor out, C cache) {
}
