package dev.nabla.cpu;

/**
 * Whether the optional Vector API kernels ({@link VectorGemmF64}, {@link VectorTapsF64},
 * {@link VectorElementwiseF64} and their F32 versions) run in this JVM.
 *
 * <p>Java 17 ships the Vector API as the incubating module {@code jdk.incubator.vector}, resolved only
 * when the JVM is started with {@code --add-modules jdk.incubator.vector}. Without it the backend uses
 * its plain loops and never loads a class that names the module. {@code -Dnabla.cpu.simd=false} forces
 * the plain loops, to compare the two in otherwise identical runs.
 */
final class Simd {
    /** True when the module is resolved and not switched off. */
    static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("nabla.cpu.simd"));

    private Simd() {
    }
}
