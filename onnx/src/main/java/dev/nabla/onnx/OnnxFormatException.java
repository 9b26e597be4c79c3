package dev.nabla.onnx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a well-formed ONNX model: not protobuf, truncated, a node input nothing produces, tensor data
 * that does not fit its dims, missing external data. The message starts with the file and names the node
 * (name and op type), initializer or tensor concerned, if any.
 *
 * <p>An {@link IOException}, because a caller reading a file already handles those and the cause is the file's
 * content, not the program. {@link OnnxUnsupportedException} is the subclass for well-formed files that use what
 * this reader does not take.
 */
public class OnnxFormatException extends IOException {
    private final transient Path file;

    /** A problem in {@code file}; {@code where} names the part ("node 'n1' (Conv)"), or is null for the whole file. */
    public OnnxFormatException(Path file, String where, String problem) {
        this(file, where, problem, null);
    }

    /** As {@link #OnnxFormatException(Path, String, String)}, with the exception that revealed it. */
    public OnnxFormatException(Path file, String where, String problem, Throwable cause) {
        super(file + ": " + (where == null ? "" : where + ": ") + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
