package dev.nabla.cpu;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.conformance.BackendConformanceKit;

/** The plain-Java backend passes the core conformance kit. */
class CpuConformanceTest extends BackendConformanceKit {
    @Override
    protected Backend backend() {
        return Backends.get("cpu");
    }
}
