package io.gradsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's inputs come from options, properties, the environment and PATH, never from a built-in path. */
class BenchInputsTest {
    @TempDir
    Path dir;

    private Path executable(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void pythonIsTheFirstExecutablePython3OnPathUnlessNamed() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/python3"), "not executable");
        Path b = executable(dir.resolve("b/python3"));
        executable(dir.resolve("c/python3"));
        String path = String.join(File.pathSeparator, dir.resolve("a").toString(), "", dir.resolve("b").toString(),
                dir.resolve("c").toString());
        assertThat(BenchInputs.python(null, path).value()).isEqualTo(b.toString());
        Path venv = executable(dir.resolve("venv/bin/python"));
        assertThat(BenchInputs.python(venv.toString(), path).value()).isEqualTo(venv.toString());
        Path torch = executable(dir.resolve("c/python-torch"));
        assertThat(BenchInputs.python("python-torch", path).value()).isEqualTo(torch.toString());
    }

    @Test
    void noPythonFoundLeavesTheReferenceOutButANamedOneMustExist() {
        BenchInputs.Input none = BenchInputs.python(null, dir.toString());
        assertThat(none.value()).isNull();
        assertThat(none.absent()).isEqualTo("no python3 on PATH; pass --python");
        assertThat(BenchInputs.python(null, null).value()).isNull();
        assertThatThrownBy(() -> BenchInputs.python(dir + "/python3", dir.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot run the PyTorch reference: '--python' is " + dir
                        + "/python3; expected an executable file, or a command on PATH");
        assertThatThrownBy(() -> BenchInputs.python("python-none", dir.toString()))
                .hasMessageStartingWith("Cannot run the PyTorch reference: '--python' is python-none;");
    }

    @Test
    void mnistIsTheOptionElseThePropertyElseTheEnvironment() throws Exception {
        Path option = mnistDir("option");
        Path property = mnistDir("property");
        Path env = mnistDir("env");
        assertThat(BenchInputs.mnist(option.toString(), property.toString(), env.toString()).value())
                .isEqualTo(option.toString());
        assertThat(BenchInputs.mnist(null, property.toString(), env.toString()).value())
                .isEqualTo(property.toString());
        assertThat(BenchInputs.mnist(null, null, env.toString()).value()).isEqualTo(env.toString());
        BenchInputs.Input none = BenchInputs.mnist(null, null, null);
        assertThat(none.value()).isNull();
        assertThat(none.absent()).isEqualTo("no MNIST directory; pass --mnist DIR or set gradsweep.mnist.dir or "
                + "GRADSWEEP_MNIST_DIR");
    }

    @Test
    void aNamedMnistDirectoryWithoutTheT10kFilesIsInvalidInputNamingItsSource() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("t10k-images-idx3-ubyte.gz"), ""); // labels missing
        assertThatThrownBy(() -> BenchInputs.mnist(empty.toString(), null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot run the MNIST benchmark: '--mnist' is " + empty + "; expected a directory with "
                        + "t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
        assertThatThrownBy(() -> BenchInputs.mnist(null, null, dir + "/absent"))
                .hasMessageStartingWith("Cannot run the MNIST benchmark: 'GRADSWEEP_MNIST_DIR' is " + dir + "/absent;");
        assertThatThrownBy(() -> BenchInputs.mnist(null, dir + "/absent", null))
                .hasMessageStartingWith("Cannot run the MNIST benchmark: 'gradsweep.mnist.dir' is " + dir + "/absent;");
    }

    private Path mnistDir(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("t10k-images-idx3-ubyte.gz"), "");
        Files.writeString(d.resolve("t10k-labels-idx1-ubyte"), "");
        return d;
    }
}
