package io.gradsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.report.ReportData.Histogram;
import io.gradsweep.report.ReportData.SmallGradients;
import io.gradsweep.report.ReportData.Trial;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution figures on hand-made histograms: no Spark, so every fraction is known. */
class ReportDistributionsTest {
    private static final int ORANGE = 0xff7f0e;
    private static final int GREY = 0x9e9e9e;

    @TempDir
    Path dir;

    /**
     * {@link ReportGeneratorTest#data()} plus histograms for two of its four selected trials (t2 and t4, depth 3):
     * per hidden layer, three quarters of the entries at +0.1 (the gradients' shrinking with depth and epochs) and a
     * quarter at -0.1, at initialisation and after 2 epochs.
     */
    static ReportData withHistograms() {
        ReportData d = ReportGeneratorTest.data();
        List<Histogram> histograms = new ArrayList<>();
        List<SmallGradients> small = new ArrayList<>();
        for (String id : List.of("t2", "t4")) {
            for (int layer = 0; layer < 3; layer++) {
                for (String kind : List.of("weight", "gradient")) {
                    for (int after : new int[] {0, 2}) {
                        double[] f = new double[SignedBins.COUNT];
                        f[SignedBins.index(1, kind.equals("weight") ? 10 : 10 - 2 * after + layer)] = 0.75;
                        f[SignedBins.index(-1, 10)] = 0.25;
                        histograms.add(new Histogram(id, kind, layer, after, f));
                    }
                }
                small.add(new SmallGradients(id, layer, new double[] {0, 1, 2},
                        new double[] {0, 0.1 * (3 - layer), 0.3 * (3 - layer)}));
            }
        }
        return new ReportData(d.sweep(), d.dataset(), d.trials(), d.traces(), d.losses(), d.profiles(), histograms,
                small);
    }

    @Test
    void theSignedAxisRunsFromMinusOneThousandThroughZeroToOneThousand() {
        List<String> labels = SignedBins.labels();
        assertThat(labels).hasSize(31).doesNotHaveDuplicates();
        assertThat(labels.subList(0, 4)).containsExactly("≤-1e3", "-100", "-10", "-1");
        assertThat(labels.subList(12, 19)).containsExactly("-1e-9", "-1e-10", ">-1e-10", "0", "<1e-10", "1e-10",
                "1e-9");
        assertThat(labels.subList(26, 31)).containsExactly("0.1", "1", "10", "100", "≥1e3");
        assertThat(SignedBins.index(0, 0)).isEqualTo(15);
        assertThat(SignedBins.index(-1, 14)).isZero();
        assertThat(SignedBins.index(1, 14)).isEqualTo(30);
        assertThat(SignedBins.index(1, 5)).isEqualTo(21); // [1e-6, 1e-5)
        assertThat(SignedBins.binsBelow(1e-6)).isEqualTo(5); // zero-based bins 0..4 lie below 1e-6
        assertThatThrownBy(() -> SignedBins.binsBelow(3e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedBins.index(1, 15)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectedTrialsWithHistogramsGetThreeFiguresInTheirOwnSection() throws IOException {
        ReportOptions options = new ReportOptions("unused", "demo", dir.toString(), List.of(), List.of(), null);
        ReportGenerator.Written w = ReportGenerator.write(withHistograms(), options);

        List<String> names = w.images().stream().map(p -> p.getFileName().toString()).toList();
        // t1 and t5 are selected too but have no histograms: they keep their other figures and get none of these
        assertThat(names).hasSize(10 + 6).endsWith("trial-t2-weight-histograms.png",
                "trial-t2-gradient-histograms.png", "trial-t2-small-gradients.png", "trial-t4-weight-histograms.png",
                "trial-t4-gradient-histograms.png", "trial-t4-small-gradients.png");
        int panelsAcross = 3; // depth 3: one panel per hidden layer
        for (String kind : List.of("weight", "gradient")) {
            BufferedImage png = image(dir.resolve("trial-t2-" + kind + "-histograms.png"));
            assertThat(List.of(png.getWidth(), png.getHeight())).isEqualTo(List.of(
                    panelsAcross * DistributionFigures.PANEL_WIDTH, DistributionFigures.PANEL_HEIGHT));
            Map<Integer, Integer> colours = colours(png);
            assertThat(colours.getOrDefault(GREY, 0)).as("grey start bars").isGreaterThan(1000);
            assertThat(colours.getOrDefault(ORANGE, 0)).as("orange end outline").isGreaterThan(200);
        }
        BufferedImage small = image(dir.resolve("trial-t4-small-gradients.png"));
        assertThat(List.of(small.getWidth(), small.getHeight()))
                .isEqualTo(List.of(ChartStyle.PANEL_WIDTH, ChartStyle.PANEL_HEIGHT));

        String html = Files.readString(w.html());
        assertThat(html).contains("<h2 id=\"distributions\">Weight and gradient distributions</h2>")
                .contains("<h3 id=\"distributions-t2\">").contains("<h3 id=\"distributions-t4\">")
                .doesNotContain("distributions-t1").doesNotContain("distributions-t5")
                .contains("title=\"trial-t4-small-gradients.png\"");
        assertThat(html.indexOf("id=\"distributions\"")).isGreaterThan(html.indexOf("id=\"trials\""));
    }

    @Test
    void deepNetsGetTwoRowsOfPanelsAndMissingDataANoteInsteadOfAFailure() throws IOException {
        Trial deep = new Trial("d", 0, Map.of("activation", "relu", "depth", "12", "width", "4", "initializer",
                "he_normal", "optimizer", "adam", "learning_rate", "0.001", "clipping", "none", "seed", "0",
                "dataset", "xor", "epochs", "2"), "ok", "healthy", 0.9, "train", 1.0, 1.0, 0.3);
        List<Histogram> histograms = new ArrayList<>();
        for (int layer = 0; layer < 12; layer++) {
            double[] f = new double[SignedBins.COUNT];
            f[SignedBins.ZERO] = 1;
            histograms.add(new Histogram("d", "gradient", layer, 0, f));
            if (layer != 5) { // layer 5 became all NaN: nothing counted after the last epoch
                histograms.add(new Histogram("d", "gradient", layer, 2, f));
            }
        }
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(
                DistributionFigures.histograms(deep, "gradient", histograms)));
        assertThat(List.of(grid.getWidth(), grid.getHeight())).isEqualTo(List.of(
                DistributionFigures.COLUMNS * DistributionFigures.PANEL_WIDTH, 2 * DistributionFigures.PANEL_HEIGHT));
        assertThat(TrialFigures.spread(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), DistributionFigures.MAX_PANELS))
                .containsExactly(0, 2, 3, 5, 6, 8, 9, 11);

        for (byte[] png : List.of(DistributionFigures.histograms(deep, "weight", histograms),
                DistributionFigures.smallGradients(deep, List.of()))) {
            assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
        }
    }

    private static BufferedImage image(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(png.toString()).isNotNull();
        assertThat(Files.size(png)).as(png + " size").isGreaterThan(10_000);
        return image;
    }

    private static Map<Integer, Integer> colours(BufferedImage image) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                counts.merge(image.getRGB(x, y) & 0xffffff, 1, Integer::sum);
            }
        }
        return counts;
    }
}
