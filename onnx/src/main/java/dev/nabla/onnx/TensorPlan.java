package dev.nabla.onnx;

import dev.nabla.Shape;
import dev.nabla.onnx.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A stored tensor whose type, dims and data length have been checked, decoded only on {@link #decode()}: the reader
 * checks every tensor of a model first, so that a broken file fails before the long work of decoding weights.
 */
final class TensorPlan {
    // Beyond this one Java array cannot hold the values' bytes.
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final TensorProto proto;
    private final ElementType type;
    private final Shape shape;
    private final ExternalData external;

    private TensorPlan(TensorProto proto, ElementType type, Shape shape, ExternalData external) {
        this.proto = proto;
        this.type = type;
        this.shape = shape;
        this.external = external;
    }

    /** Checks {@code proto} (named in messages by {@code where}) and, for external data, its file. */
    static TensorPlan check(Path file, String where, TensorProto proto) throws IOException {
        ElementType type = elementType(file, where, proto.getDataType());
        Shape shape = shape(file, where, proto);
        if (proto.hasSegment()) {
            throw new OnnxUnsupportedException(file, where, "segmented tensors are not supported");
        }
        if (shape.size() > MAX_BYTES / type.bytes()) {
            throw new OnnxUnsupportedException(file, where, type + " " + shape + " needs more bytes than one "
                    + "Java array holds");
        }
        long bytes = shape.size() * type.bytes();
        int typedCount = typedCount(proto, type);
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            if (!proto.getRawData().isEmpty() || typedCount > 0) {
                throw new OnnxFormatException(file, where, "stores its data externally and in the file");
            }
            return new TensorPlan(proto, type, shape, ExternalData.check(file, where, proto, (int) bytes));
        }
        if (proto.hasRawData()) {
            if (typedCount > 0) {
                throw new OnnxFormatException(file, where, "has both raw_data and " + typedField(type));
            }
            if (proto.getRawData().size() != bytes) {
                throw new OnnxFormatException(file, where, "raw_data holds " + proto.getRawData().size()
                        + " bytes but " + type + " " + shape + " needs " + bytes);
            }
        } else if (typedCount != shape.size()) {
            throw new OnnxFormatException(file, where, typedField(type) + " holds " + typedCount + " values but "
                    + type + " " + shape + " needs " + shape.size());
        }
        return new TensorPlan(proto, type, shape, null);
    }

    /** The tensor's values. */
    OnnxTensor decode() throws IOException {
        int count = shape.intSize();
        Object data;
        if (external != null) {
            data = LittleEndian.decode(type, external.read(), count);
        } else if (proto.hasRawData()) {
            data = LittleEndian.decode(type, proto.getRawData().asReadOnlyByteBuffer(), count);
        } else {
            data = typedData(count);
        }
        return OnnxTensor.wrap(proto.getName(), type, shape, data);
    }

    private Object typedData(int count) {
        switch (type) {
            case FLOAT -> {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = proto.getFloatData(i);
                }
                return out;
            }
            case DOUBLE -> {
                return proto.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
            }
            case INT32 -> {
                return proto.getInt32DataList().stream().mapToInt(Integer::intValue).toArray();
            }
            case INT64 -> {
                return proto.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            }
            default -> throw new IllegalStateException("checked in check(): " + type);
        }
    }

    private static ElementType elementType(Path file, String where, int code) throws OnnxFormatException {
        if (code == 0) {
            throw new OnnxFormatException(file, where, "has no element type (data_type is UNDEFINED)");
        }
        ElementType type = ElementType.ofCode(code).orElseThrow(() -> new OnnxUnsupportedException(file, where,
                "element type code " + code + " is not supported"));
        if (!type.decodable()) {
            throw new OnnxUnsupportedException(file, where, "element type " + type + " is not supported (tensor "
                    + "data is read for FLOAT, DOUBLE, INT32 and INT64)");
        }
        return type;
    }

    private static Shape shape(Path file, String where, TensorProto proto) throws OnnxFormatException {
        int[] dims = new int[proto.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = proto.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new OnnxFormatException(file, where, "dimension " + i + " is " + d + " in dims "
                        + proto.getDimsList());
            }
            dims[i] = (int) d;
        }
        try {
            long count = 1;
            for (int d : dims) {
                count = Math.multiplyExact(count, d);
            }
        } catch (ArithmeticException e) {
            throw new OnnxFormatException(file, where, "dims " + Arrays.toString(dims) + " hold more values "
                    + "than a long counts");
        }
        return Shape.of(dims);
    }

    private static int typedCount(TensorProto proto, ElementType type) {
        return switch (type) {
            case FLOAT -> proto.getFloatDataCount();
            case DOUBLE -> proto.getDoubleDataCount();
            case INT32 -> proto.getInt32DataCount();
            case INT64 -> proto.getInt64DataCount();
            default -> 0;
        };
    }

    private static String typedField(ElementType type) {
        return switch (type) {
            case FLOAT -> "float_data";
            case DOUBLE -> "double_data";
            case INT32 -> "int32_data";
            default -> "int64_data";
        };
    }
}
