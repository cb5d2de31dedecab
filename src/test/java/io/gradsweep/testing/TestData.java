package io.gradsweep.testing;

/** Where the shared real data lives: surefire passes ../shared/data/mnist, never copied into the repository. */
public final class TestData {
    public static final String MNIST = System.getProperty("gradsweep.mnist.dir", "../shared/data/mnist");

    private TestData() {
    }
}
