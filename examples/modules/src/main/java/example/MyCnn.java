package example;

import dev.nabla.*;
import dev.nabla.data.Mnist;
import dev.nabla.module.*;
import dev.nabla.train.*;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;

/** A user-defined CNN declared with modules and trained on MNIST by the course's Solver. */
public class MyCnn {
    public static void main(String[] args) throws Exception {
        Backend be = Backends.get();
        DType f32 = DType.FLOAT32;
        Random rng = new Random(0);
        Sequential net = Sequential.of(
                new Conv2d(be, f32, 1, 16, 3, 1, 1, rng), new BatchNorm2d(be, f32, 16), new ReLU(),
                new Conv2d(be, f32, 16, 32, 3, 1, 1, rng), new BatchNorm2d(be, f32, 32), new ReLU(),
                new MaxPool2d(2, 2), new Dropout(0.25, 1), new Flatten(), new Linear(be, f32, 32 * 14 * 14, 10, rng));
        System.out.print(net.summary(Shape.of(1, 1, 28, 28)));
        Mnist mnist = Mnist.load(Path.of(args.length > 0 ? args[0] : "data"));
        Function<Mnist.Split, Dataset> data = s -> new Dataset(s.images(), new int[] {1, 28, 28}, s.labels());
        Solver solver = new Solver(new Classifier(net, 1e-4), data.apply(mnist.train()), data.apply(mnist.val()),
                new Solver.Config().updateRule("adam").learningRate(1e-3).batchSize(50).epochs(2).printEvery(200));
        solver.train();
        System.out.printf("test accuracy %.4f after 2 epochs%n", solver.accuracy(data.apply(mnist.test()), 0));
    }
}
