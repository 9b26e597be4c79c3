package dev.nabla;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends on the class path with {@link ServiceLoader} and picks one.
 *
 * <p>Selection order: the system property {@code nabla.backend}, then the environment variable
 * {@code NABLA_BACKEND}, then the available provider with the highest priority. A named backend that
 * is missing or cannot run here fails with a message listing the ones that can.
 */
public final class Backends {
    /** System property that names the backend. */
    public static final String PROPERTY = "nabla.backend";
    /** Environment variable that names the backend when the property is not set. */
    public static final String ENV = "NABLA_BACKEND";

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();

    private Backends() {
    }

    /** The backend chosen by property, environment or priority. */
    public static Backend get() {
        String named = System.getProperty(PROPERTY);
        if (named == null || named.isBlank()) {
            named = System.getenv(ENV);
        }
        if (named != null && !named.isBlank()) {
            return get(named.trim());
        }
        List<BackendProvider> all = providers();
        BackendProvider best = null;
        // Stops at the first that can run: asking a lower one (nd4j loads its natives to answer) costs time and
        // memory for nothing.
        for (BackendProvider p : all) {
            Optional<String> reason = p.unavailableReason();
            if (reason.isEmpty()) {
                best = p;
                break;
            }
            LOG.warn("Backend '{}' is unavailable ({}); falling back to the next one.", p.name(), reason.get());
        }
        if (best == null) {
            throw new IllegalStateException("No usable Nabla backend on the class path. " + describe(all)
                    + " Add nabla-backend-cpu (plain Java, always available) to your dependencies.");
        }
        return create(best);
    }

    /** The backend with this name; fails clearly if it is missing or cannot run here. */
    public static Backend get(String name) {
        return create(provider(name));
    }

    private static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equals(name)) {
                Optional<String> reason = p.unavailableReason();
                if (reason.isPresent()) {
                    throw new IllegalArgumentException("Backend '" + name + "' cannot run here: " + reason.get()
                            + ". " + describe(all));
                }
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown backend '" + name + "'. " + describe(all));
    }

    /**
     * The backend with this name using {@code threads} intra-op threads (see {@link BackendProvider#create(int)}):
     * one instance per name and thread count, apart from the one {@link #get(String)} gives.
     */
    public static Backend get(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Backend '" + name + "': threads must be at least 1, got " + threads);
        }
        BackendProvider p = provider(name);
        return CREATED.computeIfAbsent(p.name() + "#" + threads, n -> p.create(threads));
    }

    /** Names of the backends that can run here, highest priority first. */
    public static List<String> available() {
        return providers().stream().filter(p -> p.unavailableReason().isEmpty())
                .map(BackendProvider::name).collect(Collectors.toList());
    }

    /** All providers on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    private static Backend create(BackendProvider p) {
        return CREATED.computeIfAbsent(p.name(), n -> p.create());
    }

    private static String describe(List<BackendProvider> all) {
        String ok = all.stream().filter(p -> p.unavailableReason().isEmpty()).map(BackendProvider::name)
                .collect(Collectors.joining(", "));
        String bad = all.stream().filter(p -> p.unavailableReason().isPresent())
                .map(p -> p.name() + " (" + p.unavailableReason().get() + ")").collect(Collectors.joining(", "));
        return "Available backends: " + (ok.isEmpty() ? "none" : ok)
                + (bad.isEmpty() ? "" : "; unavailable: " + bad) + ".";
    }
}
