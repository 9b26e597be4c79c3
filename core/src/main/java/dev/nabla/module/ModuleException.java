package dev.nabla.module;

/**
 * A module inside a container refused its input: the message names the module's path in the network
 * ({@code block2.conv}), its type and what was wrong, e.g. the expected and the actual shape.
 */
public final class ModuleException extends IllegalArgumentException {
    private final String path;
    private final String kind;
    private final String detail;

    private ModuleException(String path, String kind, String detail, Throwable cause) {
        super("module '" + path + "' (" + kind + "): " + detail, cause);
        this.path = path;
        this.kind = kind;
        this.detail = detail;
    }

    /** The failure of {@code module}, registered as {@code name} in its container, or of one of its descendants. */
    static ModuleException at(String name, Module module, IllegalArgumentException e) {
        if (e instanceof ModuleException inner) {
            return new ModuleException(name + "." + inner.path, inner.kind, inner.detail, inner);
        }
        return new ModuleException(name, module.kind(), e.getMessage(), e);
    }

    /** Where the failing module sits, e.g. {@code block2.conv}. */
    public String path() {
        return path;
    }
}
