package io.gradsweep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.IdxSource;
import io.gradsweep.spec.SpecException;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MNIST t10k split from the shared data directory, and hand-made raw IDX files. */
class IdxTest {
    static final String MNIST = io.gradsweep.testing.TestData.MNIST;

    @TempDir
    Path dir;

    static SweepSpec spec(String dataset) {
        return SpecParser.parse("""
                name: m
                dataset: %s
                train: {epochs: 1, batch_size: 32}
                grid: {activation: [relu], depth: [1], width: [8]}
                """.formatted(dataset));
    }

    @Test
    void readsTheRealT10kSplit() {
        DatasetSpec d = spec("{name: mnist, path: '" + MNIST + "'}").dataset();
        assertThat(d.samples()).isEqualTo(10_000);
        assertThat(d.numFeatures()).isEqualTo(784);
        assertThat(d.canonical()).isEqualTo("mnist(samples=10000,split=t10k,seed=0,test_fraction=0,scale=none)");
        Dataset all = Idx.read(d.idx(), d.samples(), new Configuration());
        assertThat(all.classCounts()).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
        assertThat(all.labels()[0]).isEqualTo(7);
        double sum = 0;
        float max = 0;
        for (float v : all.features()) {
            sum += v;
            max = Math.max(max, v);
        }
        assertThat(sum / all.features().length).isCloseTo(0.1325, within(5e-5));
        assertThat(max).isEqualTo(1.0f);
    }

    @Test
    void limitTakesTheFirstExamplesAndSplitsThem() {
        DatasetSpec d = spec("{name: mnist, path: '" + MNIST + "', limit: 500, test_fraction: 0.2}").dataset();
        Split split = Split.of(d);
        assertThat(split.train().size()).isEqualTo(400);
        assertThat(split.test().size()).isEqualTo(100);
        assertThat(Idx.read(d.idx(), 3, new Configuration()).labels()).containsExactly(7, 2, 1);
    }

    @Test
    void readsRawUncompressedFiles() throws IOException {
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")));
             DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            img.writeInt(0x803);
            img.writeInt(2);
            img.writeInt(28);
            img.writeInt(28);
            for (int i = 0; i < 2 * 784; i++) {
                img.writeByte(i < 784 ? 255 : 51);
            }
            lab.writeInt(0x801);
            lab.writeInt(2);
            lab.writeByte(3);
            lab.writeByte(9);
        }
        DatasetSpec d = spec("{name: mnist, path: '" + dir + "', split: train}").dataset();
        assertThat(d.samples()).isEqualTo(2);
        Dataset data = Idx.read(d.idx(), 2, new Configuration());
        assertThat(data.labels()).containsExactly(3, 9);
        assertThat(data.feature(0, 100)).isEqualTo(1.0f);
        assertThat(data.feature(1, 783)).isEqualTo(0.2f);
    }

    @Test
    void rejectsMissingFilesAndKeysThatDoNotApply() {
        assertThatThrownBy(() -> spec("{name: mnist, path: '" + dir + "'}")).isInstanceOf(SpecException.class)
                .hasMessage("Cannot parse spec: 'dataset.path' is '" + dir + "'; expected a directory containing "
                        + "t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
        assertThatThrownBy(() -> spec("{name: mnist, path: '" + MNIST + "', split: test}"))
                .hasMessage("Cannot parse spec: 'dataset.split' is 'test'; expected one of train, t10k");
        assertThatThrownBy(() -> spec("{name: mnist, path: '" + MNIST + "', samples: 100}"))
                .hasMessage("Cannot parse spec: 'dataset.samples' is '100'; expected no 'samples' for mnist; use 'limit'");
        assertThatThrownBy(() -> spec("{name: mnist, path: '" + MNIST + "', noise: 0.1}"))
                .hasMessage("Cannot parse spec: 'dataset.noise' is '0.1'; expected no 'noise' for mnist; it applies "
                        + "to the 2-D toy datasets only");
        assertThatThrownBy(() -> spec("{name: mnist, path: '" + MNIST + "', classes: 10}"))
                .hasMessage("Cannot parse spec: 'dataset.classes' is '10'; expected no 'classes' for mnist; it "
                        + "applies to spirals and blobs only");
        assertThatThrownBy(() -> spec("{name: mnist, path: '" + MNIST + "', limit: 20000}"))
                .hasMessage("Cannot parse spec: 'dataset.limit' is 20000; expected an integer in [2, 10000]");
        assertThatThrownBy(() -> spec("{name: circles, path: x}"))
                .hasMessage("Cannot parse spec: 'dataset.path' is 'x'; expected no 'path' for circles; it applies to "
                        + "mnist and table only");
        assertThat(new IdxSource("hdfs://nn/mnist", "t10k").isLocal()).isFalse();
        assertThat(new IdxSource("file:/data/mnist", "t10k").isLocal()).isTrue();
    }
}
