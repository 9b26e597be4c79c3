package dev.nabla.nd4j;

import dev.nabla.Backend;
import dev.nabla.conformance.ModuleConformanceKit;

/** The module API on the ND4J backend. */
class Nd4jModuleTest extends ModuleConformanceKit {
    @Override
    protected Backend backend() {
        return Nd4jTestBackends.nd4j();
    }
}
