package dev.nabla.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nabla.Tensor;
import dev.nabla.data.JsonFile;
import dev.nabla.io.ParamStore;
import dev.nabla.train.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Saving and loading a trained model: a folder with one {@code .npy} per parameter and a
 * {@code model.json} holding the model's hyper-parameters ({@code "config"}) and each parameter's
 * name, shape and dtype ({@code "params"}): the model's whole {@link Model#state()}, buffers such as batch-norm
 * statistics included. In Python: {@code numpy.load("W1.npy")}.
 */
public final class ModelStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {
    }

    /** Writes the model's parameters and {@code config} to {@code dir}, replacing the folder whole. */
    public static void save(Path dir, Model model, Map<String, Object> config) throws IOException {
        List<Map<String, Object>> params = new ArrayList<>();
        for (Map.Entry<String, Tensor> p : model.state().entrySet()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", p.getKey());
            d.put("file", p.getKey() + ".npy");
            d.put("shape", p.getValue().shape().dims());
            d.put("dtype", p.getValue().dtype().name().toLowerCase(Locale.ROOT));
            params.add(d);
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("format", "nabla-params/1");
        description.put("config", config);
        description.put("params", params);
        ParamStore.save(dir, model.state(), JSON.writeValueAsString(description));
    }

    /** The {@code config} map saved with the model in {@code dir}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> config(Path dir) throws IOException {
        Map<String, Object> d = JSON.convertValue(JsonFile.readObject(dir.resolve(ParamStore.DESCRIPTION),
                "the saved model's description"), Map.class);
        Object config = d.get("config");
        if (!(config instanceof Map)) {
            throw new IOException(dir.resolve(ParamStore.DESCRIPTION) + " has no \"config\" object");
        }
        return (Map<String, Object>) config;
    }

    /** Overwrites the parameters of {@code model} (built with the saved config) with those in {@code dir}. */
    public static void load(Path dir, Model model) throws IOException {
        ParamStore.load(dir, model.state());
    }
}
