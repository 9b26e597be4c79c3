package dev.nabla.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ONNX's {@code raw_data} and external-data layout: the values packed little-endian, row-major. */
final class LittleEndian {
    private LittleEndian() {
    }

    /** The {@code count} values of a decodable type in {@code bytes}, as float[], double[], int[] or long[]. */
    static Object decode(ElementType type, ByteBuffer bytes, int count) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> {
                float[] out = new float[count];
                in.asFloatBuffer().get(out);
                return out;
            }
            case DOUBLE -> {
                double[] out = new double[count];
                in.asDoubleBuffer().get(out);
                return out;
            }
            case INT32 -> {
                int[] out = new int[count];
                in.asIntBuffer().get(out);
                return out;
            }
            case INT64 -> {
                long[] out = new long[count];
                in.asLongBuffer().get(out);
                return out;
            }
            default -> throw new IllegalArgumentException("no raw decoding for " + type);
        }
    }

    /** The tensor's values packed as {@code raw_data}. */
    static byte[] encode(OnnxTensor tensor) {
        ElementType type = tensor.elementType();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(tensor.size(), type.bytes()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> out.asFloatBuffer().put((float[]) tensor.data());
            case DOUBLE -> out.asDoubleBuffer().put((double[]) tensor.data());
            case INT32 -> out.asIntBuffer().put((int[]) tensor.data());
            case INT64 -> out.asLongBuffer().put((long[]) tensor.data());
            default -> throw new IllegalArgumentException("no raw encoding for " + type);
        }
        return out.array();
    }
}
