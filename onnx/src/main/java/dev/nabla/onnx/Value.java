package dev.nabla.onnx;

import dev.nabla.Shape;

/**
 * An ONNX value while a model is imported: a constant known at import time, or a value the Nabla graph computes.
 * Shapes are ONNX's, with the batch axis (always axis 0 of a computed value) at the stand-in size of the import.
 */
sealed interface Value permits Value.Constant, Value.Computed {
    /** The value's ONNX shape. */
    Shape shape();

    /** A tensor known at import time: an initializer, a {@code Constant} node, or a shape op folded over them. */
    record Constant(OnnxTensor tensor) implements Value {
        @Override
        public Shape shape() {
            return tensor.shape();
        }
    }

    /**
     * A value of the Nabla graph, {@code slot} (a graph input or node), seen with ONNX's {@code shape}. Shape-only
     * ops (Flatten, Reshape, Squeeze, Unsqueeze, and GlobalAveragePool's trailing 1x1) give a view of their input's
     * slot instead of a node; a view whose shape differs from its slot's becomes a reshape node, named
     * {@code viewName}, only where a reader needs that shape.
     */
    record Computed(String slot, Shape slotShape, Shape shape, String viewName) implements Value {
        /** A graph value seen as it is. */
        static Computed of(String slot, Shape shape) {
            return new Computed(slot, shape, shape, null);
        }

        /** The same slot seen with another shape, as a node named {@code name} would give it. */
        Computed view(Shape newShape, String name) {
            return new Computed(slot, slotShape, newShape, name);
        }

        /** Whether reading it needs a reshape of its slot. */
        boolean isView() {
            return !shape.equals(slotShape);
        }
    }
}
