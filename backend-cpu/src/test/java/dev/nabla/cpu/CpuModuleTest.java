package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.conformance.ModuleConformanceKit;

/** The module API on the plain-Java backend. */
class CpuModuleTest extends ModuleConformanceKit {
    @Override
    protected Backend backend() {
        return Backends.get("cpu");
    }
}
