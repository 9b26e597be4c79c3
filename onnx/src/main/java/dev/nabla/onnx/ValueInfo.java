package dev.nabla.onnx;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A graph input or output: its name, element type and shape. The shape is empty when the file gives no rank, and
 * an empty list for a scalar.
 */
public record ValueInfo(String name, ElementType elementType, Optional<List<Dim>> shape) {
    /** Copies the shape so that the record stays immutable. */
    public ValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = shape.map(List::copyOf);
    }

    /** A value of known rank. */
    public static ValueInfo of(String name, ElementType elementType, Dim... dims) {
        return new ValueInfo(name, elementType, Optional.of(List.of(dims)));
    }

    @Override
    public String toString() {
        return name + ": " + elementType + shape.map(Object::toString).orElse("[?]");
    }
}
