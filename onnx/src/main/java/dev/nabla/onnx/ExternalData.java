package dev.nabla.onnx;

import dev.nabla.onnx.proto.OnnxProtos.StringStringEntryProto;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a tensor stored outside the model ({@code data_location = EXTERNAL}) keeps its bytes: a file beside the
 * model named by the {@code location} key, from byte {@code offset} on. Checked when found, so that a missing or
 * short file fails before anything is decoded; the path must stay inside the model's folder, because a model file
 * from elsewhere must not make the reader open arbitrary files.
 */
final class ExternalData {
    private final Path modelFile;
    private final String where;
    private final Path dataFile;
    private final long offset;
    private final int bytes;

    private ExternalData(Path modelFile, String where, Path dataFile, long offset, int bytes) {
        this.modelFile = modelFile;
        this.where = where;
        this.dataFile = dataFile;
        this.offset = offset;
        this.bytes = bytes;
    }

    /** Checks the keys of {@code tensor} and that its file holds the {@code bytes} its type and dims need. */
    static ExternalData check(Path modelFile, String where, TensorProto tensor, int bytes) throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto entry : tensor.getExternalDataList()) {
            switch (entry.getKey()) {
                case "location" -> location = entry.getValue();
                case "offset" -> offset = number(modelFile, where, entry);
                case "length" -> length = number(modelFile, where, entry);
                default -> {
                    // "checksum" and unknown keys do not change where the bytes are.
                }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxFormatException(modelFile, where, "external data has no 'location'");
        }
        if (length >= 0 && length != bytes) {
            throw new OnnxFormatException(modelFile, where, "external data 'length' is " + length + " bytes but "
                    + "its type and dims need " + bytes);
        }
        Path dataFile = inside(modelFile, where, location);
        long size = Files.size(dataFile);
        if (offset > size - bytes) {
            throw new OnnxFormatException(modelFile, where, "external data file " + dataFile + " is too short: it "
                    + "holds " + size + " bytes, the tensor needs " + bytes + " from offset " + offset);
        }
        return new ExternalData(modelFile, where, dataFile, offset, bytes);
    }

    /** The tensor's bytes. */
    ByteBuffer read() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new OnnxFormatException(modelFile, where, "external data file " + dataFile
                            + " became shorter while it was read");
                }
            }
        }
        return buffer.flip();
    }

    private static Path inside(Path modelFile, String where, String location) throws IOException {
        Path folder = modelFile.toAbsolutePath().normalize().getParent();
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new OnnxFormatException(modelFile, where, "external data location '" + location
                    + "' is not a path", e);
        }
        Path dataFile = folder.resolve(relative).normalize();
        if (relative.isAbsolute() || !dataFile.startsWith(folder)) {
            throw new OnnxFormatException(modelFile, where, "external data location '" + location
                    + "' is outside the model's folder " + folder);
        }
        if (!Files.isRegularFile(dataFile)) {
            throw new OnnxFormatException(modelFile, where, "external data file " + dataFile + " is missing");
        }
        // A link inside the folder may still lead out of it.
        if (!dataFile.toRealPath().startsWith(folder.toRealPath())) {
            throw new OnnxFormatException(modelFile, where, "external data file " + dataFile
                    + " links to a file outside the model's folder " + folder);
        }
        return dataFile;
    }

    private static long number(Path modelFile, String where, StringStringEntryProto entry)
            throws OnnxFormatException {
        try {
            long value = Long.parseLong(entry.getValue().trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the key.
        }
        throw new OnnxFormatException(modelFile, where, "external data '" + entry.getKey() + "' is '"
                + entry.getValue() + "', not a byte count");
    }
}
