package dev.nabla.module;

import dev.nabla.Tensor;
import dev.nabla.io.ParamStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A module's state on disk: one {@code <name>.npy} per parameter and buffer (in the tensor's own dtype, so a
 * loaded module predicts bit for bit as the saved one) and a {@code model.json} listing them, written through
 * {@link ParamStore}, so the folder is replaced all or nothing.
 */
final class ModuleStore {
    /** The format named in the description. */
    static final String FORMAT = "nabla-module/1";

    private ModuleStore() {
    }

    static void save(Path dir, Module module) throws IOException {
        Map<String, Parameter> params = module.parameters();
        StringBuilder json = new StringBuilder("{\"format\": \"" + FORMAT + "\", \"module\": \"" + module.kind()
                + "\", \"state\": [");
        String sep = "\n  ";
        for (Map.Entry<String, Tensor> e : module.state().entrySet()) {
            Parameter p = params.get(e.getKey());
            String role = p == null ? "buffer" : p.kind().name().toLowerCase(Locale.ROOT);
            Tensor t = e.getValue();
            json.append(sep).append(String.format(Locale.ROOT,
                    "{\"name\": \"%s\", \"file\": \"%s.npy\", \"role\": \"%s\", \"shape\": %s, \"dtype\": \"%s\"}",
                    e.getKey(), e.getKey(), role, java.util.Arrays.toString(t.shape().dims()),
                    t.dtype().name().toLowerCase(Locale.ROOT)));
            sep = ",\n  ";
        }
        json.append("\n]}\n");
        ParamStore.save(dir, module.state(), json.toString());
    }

    static void load(Path dir, Module module) throws IOException {
        ParamStore.load(dir, module.state());
    }
}
