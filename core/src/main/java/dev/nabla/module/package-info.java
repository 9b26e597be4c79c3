/**
 * Networks declared from modules: {@link dev.nabla.module.Module} (parameters, buffers, children, forward in a
 * {@link dev.nabla.module.Mode}, the layer's derived backward), {@link dev.nabla.module.Sequential} and
 * {@link dev.nabla.module.Graph} to compose them, {@link dev.nabla.module.Classifier} to train one with the
 * course's {@code Solver}, and one module per layer of {@link dev.nabla.nn}. No autograd tape: every backward pass
 * is a hand-derived one (docs/derivations.md).
 */
package dev.nabla.module;
