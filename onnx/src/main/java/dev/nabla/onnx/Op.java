package dev.nabla.onnx;

import java.util.Set;

/**
 * One op type the importer takes: the attributes ONNX defines for it in opsets 11-21 (a node with any other is
 * refused, so nothing the file says goes unread) and how a node of it becomes Nabla modules.
 */
record Op(String type, Set<String> attributes, Translator translator) {
    /** Turns the node {@link Translation#node()} into values of the graph being built. */
    @FunctionalInterface
    interface Translator {
        void translate(Translation t) throws OnnxFormatException;
    }
}
