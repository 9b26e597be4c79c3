package dev.nabla.module;

import dev.nabla.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network's layers for given input shapes, as Keras' {@code model.summary()} and torchinfo print them: each
 * layer's path, type, output shape, parameter count and multiply-adds, with totals.
 *
 * @param rows one row per layer (containers are walked into, so each row is a leaf module), in forward order
 * @param outputShape the network's output shape
 */
public record Summary(List<Row> rows, Shape outputShape) {
    /** One layer: where it sits, what it is, what it gives, what it holds and what it costs. */
    public record Row(String path, String kind, Shape outputShape, long parameters, long trainable, long multiplyAdds) {
    }

    /** The summary of a single module that is not a container (a container builds its own). */
    static Summary of(Module m, Shape... inputs) {
        Shape out = m.outputShape(inputs);
        long params = m.parameters().values().stream().mapToLong(p -> p.value().size()).sum();
        long trainable = m.parameters().values().stream().filter(Parameter::trainable)
                .mapToLong(p -> p.value().size()).sum();
        return new Summary(List.of(new Row("", m.kind(), out, params, trainable, m.multiplyAdds(inputs))), out);
    }

    /** Parameters of every layer (each counted once, as {@link Module#parameters()} lists them). */
    public long parameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    /** Parameters that training updates. */
    public long trainableParameters() {
        return rows.stream().mapToLong(Row::trainable).sum();
    }

    /** Multiply-adds of one forward pass over the summarized input. */
    public long multiplyAdds() {
        return rows.stream().mapToLong(Row::multiplyAdds).sum();
    }

    /** The table, one line per layer, then the totals. */
    @Override
    public String toString() {
        int width = "layer".length();
        for (Row r : rows) {
            width = Math.max(width, r.path().length() + r.kind().length() + 3);
        }
        String fmt = "%-" + width + "s  %-20s  %,12d  %,15d%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s  %-20s  %12s  %15s%n",
                "layer", "output shape", "parameters", "multiply-adds"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.path() + " (" + r.kind() + ")", r.outputShape(), r.parameters(),
                    r.multiplyAdds()));
        }
        sb.append(String.format(Locale.ROOT, "total: %,d parameters (%,d trainable), %,d multiply-adds per forward pass"
                + "%n", parameters(), trainableParameters(), multiplyAdds()));
        return sb.toString();
    }

    /** Rows of a nested summary under {@code prefix}, for containers. */
    static List<Row> nested(String prefix, Summary inner) {
        List<Row> out = new ArrayList<>();
        for (Row r : inner.rows()) {
            out.add(new Row(r.path().isEmpty() ? prefix : prefix + "." + r.path(), r.kind(), r.outputShape(),
                    r.parameters(), r.trainable(), r.multiplyAdds()));
        }
        return out;
    }
}
