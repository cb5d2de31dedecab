package io.gradsweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.report.ReportData.Trial;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sampled numeric axis gets a scatter instead of a heatmap column per value. */
class ContinuousAxesTest {
    @TempDir
    Path dir;

    /** 2 optimizers x {@code rates} learning rates from 1e-4 up, a decade every 4 rates. */
    static List<Trial> sampled(int rates) {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 2 * rates; i++) {
            double lr = 1e-4 * Math.pow(10, (i / 2) / 4.0);
            Map<String, String> axes = Map.of("activation", "tanh", "depth", "8", "width", "16",
                    "initializer", "glorot_uniform", "optimizer", i % 2 == 0 ? "sgd" : "adam",
                    "learning_rate", Double.toString(lr), "clipping", "none", "seed", "1", "dropout", "0");
            trials.add(new Trial("t" + i, i, axes, "ok", "healthy", lr < 0.01 ? 0.99 : 0.5, "train",
                    lr < 0.01 ? 5.0 : 1e-6, 1.0, null));
        }
        return trials;
    }

    @Test
    void moreRatesThanAHeatmapCanShowAreScatteredAndLeftOutOfTheHeatmapChoice() {
        assertThat(ContinuousAxes.of(sampled(ContinuousAxes.MAX_CELLS))).isEmpty();
        List<Trial> trials = sampled(ContinuousAxes.MAX_CELLS + 1);
        assertThat(ContinuousAxes.of(trials)).containsExactly("learning_rate");
        // learning_rate varies but is continuous: the heatmaps take optimizer and the next axis instead
        assertThat(GridHeatmaps.chooseAxes(trials, List.of())).containsExactly("optimizer", "activation");
    }

    @Test
    void theReportDrawsTheScatterBesideTheHeatmaps() throws IOException {
        ReportData data = new ReportData("lr", "circles", sampled(16), List.of(), List.of(), List.of(), List.of(),
                List.of());
        ReportGenerator.Written w = ReportGenerator.write(data, new ReportOptions("unused", "lr",
                dir.resolve("r").toString(), List.of(), List.of(), null));
        assertThat(w.images()).extracting(p -> p.getFileName().toString())
                .startsWith("grid-heatmaps.png", "scatter-learning_rate.png", "layer-std.png");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(w.images().get(1))));
        assertThat(List.of(png.getWidth(), png.getHeight()))
                .isEqualTo(List.of(2 * ChartStyle.PANEL_WIDTH, ChartStyle.PANEL_HEIGHT));
        assertThat(Files.readString(w.html())).contains("Accuracy and vanishing ratio against learning_rate")
                .contains("learning_rate has 16 distinct values (a sampled axis)");
        assertThat(ReportGenerator.write(ReportGeneratorTest.data(), new ReportOptions("unused", "demo",
                dir.resolve("grid").toString(), List.of(), List.of(), null)).images())
                .noneMatch(p -> p.getFileName().toString().startsWith("scatter-"));
    }
}
