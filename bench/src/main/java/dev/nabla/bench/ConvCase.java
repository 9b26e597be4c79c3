package dev.nabla.bench;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.nn.Conv2d;
import java.util.Random;

/**
 * The convolution shapes of workloads W1 and W2 and two of W6's depthwise layers, with their inputs and the FLOP
 * count of one forward + backward.
 */
enum ConvCase {
    /** The digit CNN's layer: N=50, C=1, 28x28, 32 filters 7x7, valid. */
    W1(50, 1, 28, 28, 32, 7, Conv2d.Spec.VALID),
    /** A ResNet/MobileNet-style layer: N=16, C=64, 56x56, 64 filters 3x3, pad 1. */
    W2(16, 64, 56, 56, 64, 3, Conv2d.Spec.of(1, 1)),
    /** MobileNetV2's first depthwise layer at W6's batch: N=8, 32 channels, 112x112, 3x3, pad 1. */
    DW1(8, 32, 112, 112, 32, 3, Conv2d.Spec.of(1, 1).withGroups(32)),
    /** Its first strided one: N=8, 96 channels, 112x112 to 56x56, 3x3, stride 2, pad 1. */
    DW2(8, 96, 112, 112, 96, 3, Conv2d.Spec.of(2, 1).withGroups(96));

    final int n;
    final int c;
    final int h;
    final int w;
    final int f;
    final int k;
    final Conv2d.Spec spec;

    ConvCase(int n, int c, int h, int w, int f, int k, Conv2d.Spec spec) {
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.f = f;
        this.k = k;
        this.spec = spec;
    }

    /**
     * 3 x 2*N*F*(C/groups)*KH*KW*OH*OW: the forward product and the two backward ones (dx, dw), as workloads.md
     * counts.
     */
    double flop() {
        return 3.0 * 2 * n * f * (c / spec.groups()) * k * k * spec.outHeight(h, k) * spec.outWidth(w, k);
    }

    /** Input x, weights w, bias b and an upstream gradient dout, seeded. */
    Inputs inputs(Backend be, DType dtype) {
        Random rng = new Random(Fixtures.SEED);
        double wScale = Math.sqrt(2.0 / (c / spec.groups() * k * k));
        return new Inputs(Fixtures.gaussian(be, dtype, rng, 1, n, c, h, w),
                Fixtures.gaussian(be, dtype, rng, wScale, f, c / spec.groups(), k, k),
                Fixtures.gaussian(be, dtype, rng, 0.1, f),
                Fixtures.gaussian(be, dtype, rng, 1, n, f, spec.outHeight(h, k), spec.outWidth(w, k)));
    }

    /** One forward and one backward pass; returns the gradients so nothing is dead code. */
    Conv2d.Grads forwardBackward(Inputs in) {
        return Conv2d.backward(in.dout, Conv2d.forward(in.x, in.w, in.b, spec).cache());
    }

    /** The tensors of one convolution case. */
    record Inputs(Tensor x, Tensor w, Tensor b, Tensor dout) {
    }
}
