package dev.nabla.module;

import dev.nabla.Backend;
import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.nn.Affine;
import dev.nabla.nn.Forward;
import java.util.Random;

/**
 * Fully-connected layer {@code Y = X W + b} over the course's {@link Affine} contract, for X (N, in); W is stored
 * (in, out) as in the course (the transpose of PyTorch's {@code nn.Linear.weight}). Put a {@link Flatten} before it
 * for image-shaped inputs. The bias is optional: a layer without one (PyTorch's {@code bias=False}, an imported
 * {@code MatMul}) adds zeros and trains nothing there.
 */
public final class Linear extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor zeroBias;

    /** A layer holding these tensors: weight (in, out), bias (out) or null for none. */
    public Linear(Tensor weight, Tensor bias) {
        if (weight.shape().rank() != 2 || (bias != null && !bias.shape().equals(Shape.of(weight.shape().dim(1))))) {
            throw new IllegalArgumentException("Linear: weight must be (in, out) and bias (out,), got " + weight.shape()
                    + " and " + (bias == null ? "none" : bias.shape()));
        }
        this.weight = addParameter("weight", weight, Parameter.Kind.WEIGHT);
        this.bias = bias == null ? null : addParameter("bias", bias, Parameter.Kind.BIAS);
        this.zeroBias = bias == null ? weight.backend().zeros(weight.dtype(), Shape.of(weight.shape().dim(1))) : null;
    }

    /** A new layer initialised as PyTorch's {@code nn.Linear}: weight and bias uniform in +-1/sqrt(in). */
    public Linear(Backend be, DType dtype, int in, int out, Random rng) {
        this(Init.uniform().make(be, dtype, rng, in, in, out), Init.uniform().make(be, dtype, rng, in, out));
    }

    /** A new layer with weights from {@code init} and zero biases. */
    public Linear(Backend be, DType dtype, int in, int out, Init init, Random rng) {
        this(init.make(be, dtype, rng, in, in, out), be.zeros(dtype, Shape.of(out)));
    }

    /** Inputs per sample. */
    public int inFeatures() {
        return weight.value().shape().dim(0);
    }

    /** Outputs per sample. */
    public int outFeatures() {
        return weight.value().shape().dim(1);
    }

    /** The weight (in, out). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out), or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Shape outputShape(Shape... inputs) {
        Shape x = single(inputs);
        if (x.rank() != 2 || x.dim(1) != inFeatures()) {
            throw mismatch("(N, " + inFeatures() + ")" + (x.rank() > 2 ? " (put a Flatten before it)" : ""), x);
        }
        return Shape.of(x.dim(0), outFeatures());
    }

    @Override
    public long multiplyAdds(Shape... inputs) {
        return (long) single(inputs).dim(0) * inFeatures() * outFeatures();
    }

    @Override
    public Forward<?> forward(Mode mode, Tensor... inputs) {
        Forward<Affine.Cache> f = Affine.forward(single(inputs), weight.value(), bias != null ? bias.value() : zeroBias);
        return mode.grad() ? f : new Forward<>(f.out(), null);
    }

    @Override
    public Tensor[] backward(Tensor dout, Object cache, Gradients grads) {
        Affine.Grads g = Affine.backward(dout, (Affine.Cache) cache);
        grads.add(weight, g.dw());
        grads.addOptional(bias, g.db());
        return new Tensor[] {g.dx()};
    }

    @Override
    public String toString() {
        return "Linear(" + inFeatures() + " -> " + outFeatures() + (bias == null ? ", no bias" : "") + ")";
    }
}
