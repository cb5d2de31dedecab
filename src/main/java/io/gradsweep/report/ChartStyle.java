package io.gradsweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** One look for every chart, and the guards that keep XChart from choking on NaN or on zeros on a log axis. */
final class ChartStyle {
    static {
        // First in the class: java.awt.Color reads (and caches) the setting when it is first loaded.
        // Drawing needs no display; without this a server without X11 fails on the first font lookup.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int PANEL_WIDTH = 560;
    static final int PANEL_HEIGHT = 430;

    /** Categorical colours (Tableau 10): activations and other unordered groups. */
    static final Color[] CATEGORICAL = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    /** Viridis anchors: ordered things (layers, first to last) read as dark to light. */
    private static final Color[] VIRIDIS = {new Color(0x440154), new Color(0x3b528b), new Color(0x21918c),
        new Color(0x5ec962), new Color(0xd8b400)};

    private ChartStyle() {
    }

    static XYChart xy(String title, String xTitle, String yTitle) {
        return xy(title, xTitle, yTitle, PANEL_WIDTH, PANEL_HEIGHT);
    }

    /** The legend as a column on the chart's right: for more names than fit in a row under a panel. */
    static void legendOnRight(XYChart c) {
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
    }

    static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xe4e4e4));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.ITALIC, 13));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarkerSize(6);
        s.setChartPadding(8);
        return c;
    }

    /**
     * Adds a line with only its drawable points: finite, and positive on a log axis. Returns null (adding nothing)
     * when no point is left; {@link #noteIfEmpty} then says so instead of drawing an empty or broken chart.
     */
    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, boolean dashed) {
        boolean log = c.getStyler().isYAxisLogarithmic();
        int n = 0;
        double[] xs = new double[x.length];
        double[] ys = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!log || y[i] > 0)) {
                xs[n] = x[i];
                ys[n++] = y[i];
            }
        }
        if (n == 0) {
            return null;
        }
        XYSeries s = c.addSeries(name, Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
        s.setLineColor(color);
        s.setMarker(n == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setMarkerColor(color);
        s.setLineStyle(dashed ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {6f, 4f}, 0f) : new BasicStroke(1.6f));
        return s;
    }

    /**
     * Final touches once the series are in. With {@code roundTicks}, x runs from 0 to a round number with ticks at
     * round numbers: XChart puts ticks on the data's own x values whenever those are equally spaced (iterations,
     * epochs), which gives ticks such as 0, 252, 504. An invisible two-point series at x = 0 and 0.5 breaks the equal
     * spacing without drawing anything. A log y axis gets labels in one style (1E-3, not 0.001 next to 1E-4).
     */
    static void finish(XYChart c, boolean roundTicks) {
        if (c.getStyler().isYAxisLogarithmic()) {
            c.getStyler().setYAxisDecimalPattern("0E0");
        }
        if (c.getSeriesMap().isEmpty()) {
            return;
        }
        double minX = c.getSeriesMap().values().stream().mapToDouble(XYSeries::getXMin).min().orElse(0);
        double maxX = c.getSeriesMap().values().stream().mapToDouble(XYSeries::getXMax).max().orElse(0);
        if (!c.getStyler().isYAxisLogarithmic()) {
            // XChart's default pattern drops the leading zero (".02") and cannot show 1e-5 steps.
            double maxAbsY = c.getSeriesMap().values().stream()
                    .mapToDouble(s -> Math.max(Math.abs(s.getYMin()), Math.abs(s.getYMax()))).max().orElse(0);
            c.getStyler().setYAxisDecimalPattern(maxAbsY > 0 && maxAbsY < 1e-3 ? "0.0E0" : "0.###");
        }
        c.getStyler().setXAxisDecimalPattern("0");
        if (!roundTicks || minX < 0 || maxX <= 1) {
            return;
        }
        double unit = Math.pow(10, Math.floor(Math.log10(maxX))) / 10;
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(Math.ceil(maxX / unit) * unit);
        XYSeries any = c.getSeriesMap().values().iterator().next();
        double y = any.getYMin();
        XYSeries helper = c.addSeries(" ", new double[] {0, 0.5}, new double[] {y, y});
        helper.setLineColor(new Color(0, 0, 0, 0));
        helper.setMarker(SeriesMarkers.NONE);
        helper.setShowInLegend(false);
    }

    /** XChart cannot draw a chart without series: give it an invisible one and say in the plot why it is empty. */
    static void noteIfEmpty(XYChart c, String note) {
        if (!c.getSeriesMap().isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(" ", new double[] {0, 1}, new double[] {1, 1});
        s.setLineColor(new Color(0, 0, 0, 0));
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setAxisTicksVisible(false);
        c.addAnnotation(new AnnotationText(note, 0.5, 1, false));
    }

    /** True when the finite positive values span more than two decades: such data wants a log axis. */
    static boolean spansDecades(List<double[]> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double[] s : series) {
            for (double v : s) {
                if (Double.isFinite(v) && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return max > 0 && max / min > 100;
    }

    /** n colours from dark purple to yellow, evenly spread over the viridis anchors. */
    static Color sequential(int i, int n) {
        double t = n <= 1 ? 0 : (double) i / (n - 1) * (VIRIDIS.length - 1);
        int k = Math.min((int) t, VIRIDIS.length - 2);
        double f = t - k;
        Color a = VIRIDIS[k];
        Color b = VIRIDIS[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** Draws the panels side by side into one PNG. */
    static byte[] png(List<? extends Chart<?, ?>> panels) {
        int[] x = new int[panels.size()];
        for (int i = 1; i < x.length; i++) {
            x[i] = x[i - 1] + panels.get(i - 1).getWidth();
        }
        return draw(panels, x, new int[panels.size()]);
    }

    /** Small multiples of equal size: rows of {@code columns} panels, filled left to right, top to bottom. */
    static byte[] grid(List<? extends Chart<?, ?>> panels, int columns) {
        int w = panels.stream().mapToInt(Chart::getWidth).max().orElse(1);
        int h = panels.stream().mapToInt(Chart::getHeight).max().orElse(1);
        int[] x = new int[panels.size()];
        int[] y = new int[panels.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % columns * w;
            y[i] = i / columns * h;
        }
        return draw(panels, x, y);
    }

    private static byte[] draw(List<? extends Chart<?, ?>> panels, int[] x, int[] y) {
        int width = 1;
        int height = 1;
        for (int i = 0; i < x.length; i++) {
            width = Math.max(width, x[i] + panels.get(i).getWidth());
            height = Math.max(height, y[i] + panels.get(i).getHeight());
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < x.length; i++) {
            Chart<?, ?> panel = panels.get(i);
            Graphics2D pg = (Graphics2D) g.create(x[i], y[i], panel.getWidth(), panel.getHeight());
            panel.paint(pg, panel.getWidth(), panel.getHeight());
            pg.dispose();
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
