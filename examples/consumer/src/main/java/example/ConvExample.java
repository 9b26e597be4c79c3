package example;

import dev.nabla.Backend;
import dev.nabla.Backends;
import dev.nabla.DType;
import dev.nabla.Tensor;
import dev.nabla.Tensors;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Forward;
import java.util.Arrays;

/** Runs one convolution forward and backward through whichever backend is on the class path. */
public final class ConvExample {
    public static void main(String[] args) {
        Backend be = Backends.get();
        Tensor x = Tensors.of(be, DType.FLOAT32, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = Tensors.of(be, DType.FLOAT32, new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor b = Tensors.of(be, DType.FLOAT32, new double[] {1}, 1);
        Forward<Conv2d.Cache> y = Conv2d.forward(x, w, b);
        Conv2d.Grads g = Conv2d.backward(y.out(), y.cache());
        System.out.println("backend " + be.name() + ": conv out " + Arrays.toString(y.out().toFloatArray())
                + ", dw " + Arrays.toString(g.dw().toFloatArray()));
    }
}
