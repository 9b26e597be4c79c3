package dev.nabla.module;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Forward;
import java.util.Random;

/**
 * 2-D convolution over the {@link dev.nabla.nn.Conv2d} contract, with every option of its {@link Spec} (stride,
 * asymmetric zero padding, groups, depthwise; {@code dev.nabla.nn.Conv2d.Spec}). Weight (out, in/groups, kH, kW); the bias is optional (a layer
 * without one, as before a batch norm, adds zeros and trains nothing there).
 */
public final class Conv2d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor zeroBias;
    private final dev.nabla.nn.Conv2d.Spec spec;

    /** A layer holding these tensors: weight (out, in/groups, kH, kW) and bias (out) or null for none. */
    public Conv2d(Tensor weight, Tensor bias, dev.nabla.nn.Conv2d.Spec spec) {
        Shape w = weight.shape();
        if (w.rank() != 4 || (bias != null && !bias.shape().equals(Shape.of(w.dim(0)))) || w.dim(0) % spec.groups() != 0) {
            throw new IllegalArgumentException("Conv2d: weight must be (out, in/groups, kH, kW) with out divisible by"
                    + " groups = " + spec.groups() + " and bias (out,), got " + w + " and "
                    + (bias == null ? "none" : bias.shape()));
        }
        this.weight = addParameter("weight", weight, Parameter.Kind.WEIGHT);
        this.bias = bias == null ? null : addParameter("bias", bias, Parameter.Kind.BIAS);
        this.zeroBias = bias == null ? weight.backend().zeros(weight.dtype(), Shape.of(w.dim(0))) : null;
        this.spec = spec;
    }

    /** A new layer initialised as PyTorch's {@code nn.Conv2d}: weight and bias uniform in +-1/sqrt(fan-in). */
    public Conv2d(Backend be, DType dtype, int in, int out, int kernel, dev.nabla.nn.Conv2d.Spec spec, Random rng) {
        this(Init.uniform().make(be, dtype, rng, fanIn(in, kernel, spec), out, in / spec.groups(), kernel, kernel),
                Init.uniform().make(be, dtype, rng, fanIn(in, kernel, spec), out), spec);
    }

    /** A new square-kernel layer with stride and padding {@code pad} on every side, initialised as PyTorch's. */
    public Conv2d(Backend be, DType dtype, int in, int out, int kernel, int stride, int pad, Random rng) {
        this(be, dtype, in, out, kernel, dev.nabla.nn.Conv2d.Spec.of(stride, pad), rng);
    }

    /** A new layer with weights from {@code init} and zero biases, or none when {@code bias} is false. */
    public Conv2d(Backend be, DType dtype, int in, int out, int kernel, dev.nabla.nn.Conv2d.Spec spec, Init init,
                  boolean bias, Random rng) {
        this(init.make(be, dtype, rng, fanIn(in, kernel, spec), out, in / spec.groups(), kernel, kernel),
                bias ? be.zeros(dtype, Shape.of(out)) : null, spec);
    }

    private static int fanIn(int in, int kernel, dev.nabla.nn.Conv2d.Spec spec) {
        if (in % spec.groups() != 0) {
            throw new IllegalArgumentException("Conv2d: " + in + " input channels do not split into " + spec.groups()
                    + " groups");
        }
        return in / spec.groups() * kernel * kernel;
    }

    /** The filters (out, in/groups, kH, kW). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out), or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    /** Stride, padding and groups. */
    public dev.nabla.nn.Conv2d.Spec spec() {
        return spec;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        Shape w = weight.value().shape();
        int channels = w.dim(1) * spec.groups();
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw mismatch("(N, " + channels + ", H, W)", x);
        }
        int oh = spec.outHeight(x.dim(2), w.dim(2));
        int ow = spec.outWidth(x.dim(3), w.dim(3));
        if (oh < 1 || ow < 1) {
            throw mismatch("at least " + w.dim(2) + "x" + w.dim(3) + " pixels with its padding", x);
        }
        return Shape.of(x.dim(0), w.dim(0), oh, ow);
    }

    @Override
    public long multiplyAdds(Shape... inputs) {
        Shape out = outputShape(inputs);
        Shape w = weight.value().shape();
        return out.size() * w.dim(1) * w.dim(2) * w.dim(3);
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<dev.nabla.nn.Conv2d.Cache> f = dev.nabla.nn.Conv2d.forward(single(inputs), weight.value(),
                bias != null ? bias.value() : zeroBias, spec);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        dev.nabla.nn.Conv2d.Grads g = dev.nabla.nn.Conv2d.backward(dout, (dev.nabla.nn.Conv2d.Cache) cache);
        grads.add(weight, g.dw());
        grads.addOptional(bias, g.db());
        return new Tensor[] {g.dx()};
    }

    @Override
    public String toString() {
        Shape w = weight.value().shape();
        return "Conv2d(" + w.dim(1) * spec.groups() + " -> " + w.dim(0) + ", " + w.dim(2) + "x" + w.dim(3) + ", " + spec
                + ")";
    }
}
