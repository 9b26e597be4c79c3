package dev.nabla.nd4j;

import dev.nabla.Backend;
import dev.nabla.conformance.BackendConformanceKit;

/** The ND4J backend passes the core conformance kit. */
class Nd4jConformanceTest extends BackendConformanceKit {
    @Override
    protected Backend backend() {
        return Nd4jTestBackends.nd4j();
    }
}
