package dev.nabla.onnx;

import java.util.Optional;

/**
 * The element types of ONNX tensors ({@code TensorProto.DataType}), with their codes in the file. Graph inputs and
 * outputs may have any of them; tensor data (initializers, {@code Constant} values) is decoded only for the
 * {@linkplain #decodable() four} Nabla computes with.
 */
public enum ElementType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    STRING(8, 0),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    COMPLEX64(14, 8),
    COMPLEX128(15, 16),
    BFLOAT16(16, 2);

    private final int code;
    private final int bytes;

    ElementType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The {@code TensorProto.DataType} number stored in the file. */
    public int code() {
        return code;
    }

    /** Bytes per element in {@code raw_data} (0 for STRING, which has no raw form). */
    public int bytes() {
        return bytes;
    }

    /** Whether tensor data of this type is decoded: FLOAT, DOUBLE, INT32 and INT64. */
    public boolean decodable() {
        return this == FLOAT || this == DOUBLE || this == INT32 || this == INT64;
    }

    /** The type with this code, if it is one of the above. */
    public static Optional<ElementType> ofCode(int code) {
        for (ElementType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
