package dev.nabla.onnx;

import java.nio.file.Path;

/**
 * A well-formed ONNX file that uses something this reader does not take: an opset outside
 * {@value OnnxReader#MIN_OPSET}-{@value OnnxReader#MAX_OPSET}, a node outside the default domain, an element type
 * it cannot decode, subgraph or sparse attributes. Kept apart from {@link OnnxFormatException} so that a caller can
 * tell "the file is broken" from "Nabla cannot read this yet".
 */
public class OnnxUnsupportedException extends OnnxFormatException {
    /** Something in {@code file} (at {@code where}, or null for the whole file) that is not supported. */
    public OnnxUnsupportedException(Path file, String where, String problem) {
        super(file, where, problem);
    }
}
