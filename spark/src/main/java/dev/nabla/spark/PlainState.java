package dev.nabla.spark;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors as plain Java arrays with their shapes: what crosses the wire between Spark tasks and the driver
 * (never a backend tensor). {@code FLOAT32} tensors travel as {@code float[]}, {@code FLOAT64} ones as {@code double[]},
 * so nothing is rounded on the way.
 */
public final class PlainState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One tensor: its shape and values (exactly one of the two arrays is set). */
    private record Array(int[] shape, float[] floats, double[] doubles) implements Serializable {
    }

    private final LinkedHashMap<String, Array> arrays = new LinkedHashMap<>();

    private PlainState() {
    }

    /** Copies the values of {@code tensors}, in their order. */
    public static PlainState of(Map<String, Tensor> tensors) {
        PlainState s = new PlainState();
        tensors.forEach((name, t) -> s.arrays.put(name, t.dtype() == DType.FLOAT64
                ? new Array(t.shape().dims(), null, t.toDoubleArray())
                : new Array(t.shape().dims(), t.toFloatArray(), null)));
        return s;
    }

    /** The names, in order. */
    public List<String> names() {
        return new ArrayList<>(arrays.keySet());
    }

    /** Bytes of the values (what the arrays weigh on the wire, before Java serialization's framing). */
    public long bytes() {
        return arrays.values().stream().mapToLong(a -> a.floats != null ? 4L * a.floats.length : 8L * a.doubles.length)
                .sum();
    }

    /** The values of {@code name} as doubles (exact for both precisions). */
    public double[] values(String name) {
        Array a = require(name);
        if (a.doubles != null) {
            return a.doubles.clone();
        }
        double[] d = new double[a.floats.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.floats[i];
        }
        return d;
    }

    /** New tensors on {@code backend}, each in the precision it was copied from. */
    public Map<String, Tensor> toTensors(Backend backend) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, a.doubles != null
                ? backend.fromArray(a.doubles, DType.FLOAT64, Shape.of(a.shape))
                : backend.fromArray(a.floats, DType.FLOAT32, Shape.of(a.shape))));
        return out;
    }

    /**
     * Copies the values into the tensors of the same names in {@code target} (a model's {@code state()}); every
     * name of the target must be here with its shape, or nothing is changed.
     */
    public void assignTo(Map<String, Tensor> target) {
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            Array a = require(e.getKey());
            if (!Shape.of(a.shape).equals(e.getValue().shape())) {
                throw new IllegalArgumentException("PlainState: '" + e.getKey() + "' has shape " + Shape.of(a.shape)
                        + " but the target has " + e.getValue().shape());
            }
        }
        Backend backend = target.values().stream().findFirst().map(Tensor::backend).orElse(null);
        if (backend == null) {
            return;
        }
        Map<String, Tensor> fresh = toTensors(backend);
        target.forEach((name, t) -> t.assign(fresh.get(name)));
        fresh.values().forEach(Tensor::close);
    }

    private Array require(String name) {
        Array a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("PlainState: no tensor named '" + name + "' among " + arrays.keySet());
        }
        return a;
    }
}
