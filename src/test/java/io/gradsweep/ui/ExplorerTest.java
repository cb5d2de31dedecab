package io.gradsweep.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gradsweep.cli.Main;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.testing.Duck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The explorer in a real browser (Debian's headless chromium through its chromedriver) over a small real sweep,
 * every number compared with DuckDB reading the same Parquet files. The served directory first holds all but the
 * sweep's last batch, which a test commits while the page is open. The command-line refusals need no browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplorerTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;

    static Path source;
    static Path served;
    static List<String> batches;
    static UiServer server;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        source = dir.resolve("source");
        served = dir.resolve("served");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("gradsweep-ui-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            for (String spec : List.of(GRID, RNN)) {
                new SweepJob(spark, new PrintWriter(new StringWriter())).run(SpecParser.parse(spec),
                        new SweepJob.Options(source.toString(), 3, Grid.DEFAULT_MAX_TRIALS, false));
            }
        } finally {
            spark.stop();
        }
        batches = batches();
        assertThat(batches).as("batches of the grid sweep").hasSizeGreaterThan(1);
        copySweep("rnn");
        for (String b : batches.subList(0, batches.size() - 1)) {
            commit(b);
        }
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            server = UiServer.start(served.toString(), "127.0.0.1", 0, "grid", 12);
            browser = browser();
        }
    }

    static final String GRID = """
            name: grid
            dataset: {name: circles, samples: 64, noise: 0.1, factor: 0.5}
            train: {epochs: 3, batch_size: 32}
            grid: {activation: [sigmoid, tanh, relu], depth: [3], width: [4], learning_rate: [0.01, 0.1],
                   seed: [1, 2]}
            """;

    static final String RNN = """
            name: rnn
            dataset: {name: adding, samples: 32, length: 5, seed: 1}
            train: {epochs: 1, batch_size: 16}
            grid: {model: [simple_rnn], activation: [tanh], depth: [1], width: [4], optimizer: [adam],
                   learning_rate: [0.01], seed: [1]}
            """;

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    static ChromeDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,2600", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static void needBrowser() {
        assumeTrue(browser != null, "skipped: no " + CHROMIUM + " and " + CHROMEDRIVER + " on this machine "
                + "(apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    /** Batch keys of the grid sweep, sorted. */
    static List<String> batches() throws IOException {
        try (Stream<Path> files = Files.list(source.resolve("trials/sweep=grid"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet"))
                    .map(n -> n.substring("part-".length(), n.length() - ".parquet".length())).sorted().toList();
        }
    }

    /** Publishes one batch of the grid sweep as the job does: each table's part by an atomic move, trials last. */
    static void commit(String batch) throws IOException {
        for (String table : List.of("gradients", "activations", "histograms", "timestep_gradients", "epochs",
                "trials")) {
            Path from = source.resolve(table + "/sweep=grid/part-" + batch + ".parquet");
            if (Files.exists(from)) {
                Path to = served.resolve(table + "/sweep=grid/" + from.getFileName());
                Files.createDirectories(to.getParent());
                Path tmp = to.resolveSibling("." + from.getFileName() + ".tmp");
                Files.copy(from, tmp);
                Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    static void copySweep(String sweep) throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.filter(p -> p.toString().contains("sweep=" + sweep + "/")
                    && p.toString().endsWith(".parquet")).toList()) {
                Path to = served.resolve(source.relativize(p));
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
    }

    static String table(String name) {
        return "read_parquet('" + served + "/" + name + "/*/*.parquet', hive_partitioning = true)";
    }

    /** An attribute, "" while the element lacks it (a wait's condition must not throw). */
    static String attr(org.openqa.selenium.WebDriver d, By by, String name) {
        String v = d.findElement(by).getAttribute(name);
        return v == null ? "" : v;
    }

    /** Whether a chart has been drawn with data since the page loaded. */
    static boolean drawn(org.openqa.selenium.WebDriver d, String chart) {
        String v = attr(d, By.id(chart), "data-drawn");
        return !v.isEmpty() && !v.equals("none");
    }

    WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the page redraws as it reloads
        return wait;
    }

    void open() {
        browser.get(server.url() + "?poll=300");
        // the sweep being run is the one shown first
        waiting().until(d -> attr(d, By.id("heatmap"), "data-loaded")
                .startsWith("grid|activation|learning_rate|accuracy|"));
    }

    @Test
    @Order(1)
    void theHeatmapHasOneCellPerGridPointColouredByTheMeanAccuracyOfItsTrials() throws SQLException {
        needBrowser();
        open();
        List<WebElement> cells = browser.findElements(By.cssSelector("#heatmap td.cell"));
        List<List<Object>> expected = Duck.rows("SELECT CAST(activation AS VARCHAR), CAST(learning_rate AS VARCHAR), "
                + "count(*), avg(coalesce(test_accuracy, train_accuracy)) FROM " + table("trials")
                + " WHERE sweep = 'grid' GROUP BY ALL");
        long xs = expected.stream().map(r -> r.get(0)).distinct().count();
        long ys = expected.stream().map(r -> r.get(1)).distinct().count();
        assertThat(cells).hasSize((int) (xs * ys));
        for (List<Object> row : expected) {
            WebElement cell = browser.findElement(By.cssSelector("#heatmap td.cell[data-x='" + row.get(0)
                    + "'][data-y='" + row.get(1) + "']"));
            assertThat(Long.parseLong(cell.getAttribute("data-n"))).isEqualTo((Long) row.get(2));
            assertThat(Double.parseDouble(cell.getAttribute("data-value"))).isEqualTo((Double) row.get(3));
        }
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void aCellsTrialDrawsTheCurvesThatDuckDbReadsFromTheFiles() throws SQLException {
        needBrowser();
        open();
        browser.findElement(By.cssSelector("#heatmap td.cell[data-x='sigmoid'][data-y='0.01']")).click();
        waiting().until(d -> !attr(d, By.id("trials"), "data-loaded").isEmpty());
        List<List<Object>> ids = Duck.rows("SELECT trial_id FROM " + table("trials") + " WHERE sweep = 'grid' AND "
                + "activation = 'sigmoid' AND learning_rate = 0.01 ORDER BY trial_index");
        List<WebElement> rows = browser.findElements(By.cssSelector("#trials tr.trial"));
        assertThat(rows.stream().map(r -> r.getAttribute("data-id")).toList())
                .isEqualTo(ids.stream().map(r -> r.get(0)).toList());
        String id = (String) ids.get(0).get(0);
        rows.get(0).click();
        waiting().until(d -> drawn(d, "chart-epochs")
                && d.findElement(By.id("trial-title")).getText().contains(id));
        JavascriptExecutor js = browser;
        Map<String, Object> std = (Map<String, Object>) js.executeScript("return window.gsDrawn['chart-grad-std']");
        Map<String, Object> preact = (Map<String, Object>) js.executeScript(
                "return window.gsDrawn['chart-preact-std']");
        Map<String, Object> epochs = (Map<String, Object>) js.executeScript("return window.gsDrawn['chart-epochs']");
        String where = " WHERE sweep = 'grid' AND trial_id = '" + id + "'";
        assertSeries(std, Duck.rows("SELECT layer, iteration, std FROM " + table("gradients") + where
                + " AND param = 'W' ORDER BY layer, iteration"));
        assertSeries(preact, Duck.rows("SELECT layer, iteration, preact_grad_std FROM " + table("activations")
                + where + " ORDER BY layer, iteration"));
        List<List<Object>> losses = Duck.rows("SELECT epoch, train_loss FROM " + table("epochs") + where
                + " ORDER BY epoch");
        assertThat(numbers((List<Object>) epochs.get("x"))).isEqualTo(numbers(losses.stream().map(r -> r.get(0))
                .toList()));
        assertThat(numbers((List<Object>) ((Map<String, Object>) epochs.get("series")).get("train loss")))
                .isEqualTo(numbers(losses.stream().map(r -> r.get(1)).toList()));
        assertThat(browser.findElement(By.id("chart-hist-gradient")).getAttribute("data-drawn")).isEqualTo("31");
    }

    /** The drawn lines, one per layer over the union of iterations, hold exactly the rows DuckDB reads. */
    @SuppressWarnings("unchecked")
    static void assertSeries(Map<String, Object> drawn, List<List<Object>> rows) {
        assertThat(rows).isNotEmpty();
        List<Double> x = numbers((List<Object>) drawn.get("x"));
        Map<String, Object> series = (Map<String, Object>) drawn.get("series");
        List<List<Object>> seen = new ArrayList<>();
        series.forEach((label, values) -> {
            List<Double> v = numbers((List<Object>) values);
            for (int i = 0; i < x.size(); i++) {
                if (v.get(i) != null) {
                    seen.add(List.of(Integer.parseInt(label.replace("layer ", "")), x.get(i), v.get(i)));
                }
            }
        });
        List<List<Object>> expected = rows.stream().map(r -> List.<Object>of(((Number) r.get(0)).intValue(),
                ((Number) r.get(1)).doubleValue(), ((Number) r.get(2)).doubleValue())).toList();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    static List<Double> numbers(List<Object> values) {
        return values.stream().map(v -> v == null ? null : ((Number) v).doubleValue()).toList();
    }

    @Test
    @Order(3)
    void theOpenPagePicksUpABatchCommittedAfterItLoaded() throws Exception {
        needBrowser();
        open();
        long before = (long) Duck.scalar("SELECT count(*) FROM " + table("trials") + " WHERE sweep = 'grid'");
        WebElement progress = browser.findElement(By.id("progress"));
        assertThat(progress.getAttribute("data-done")).isEqualTo(String.valueOf(before));
        assertThat(before).isLessThan(12);
        commit(batches.get(batches.size() - 1));
        waiting().until(d -> "12".equals(attr(d, By.id("progress"), "data-done")));
        waiting().until(d -> attr(d, By.cssSelector("#sweeps tr[data-sweep='grid']"), "data-trials").equals("12"));
        waiting().until(d -> d.findElements(By.cssSelector("#heatmap td.cell")).stream()
                .mapToLong(c -> Long.parseLong(c.getAttribute("data-n"))).sum() == 12);
        assertThat(browser.findElements(By.cssSelector("#heatmap td.cell"))).hasSize(3 * 2);
        assertThat(progress.findElement(By.className("text")).getText()).isEqualTo("grid: 12/12 trials · done");
        // the screenshot of a whole drill-down, for people to look at (target/ui/explorer.png)
        browser.findElement(By.cssSelector("#heatmap td.cell[data-x='tanh'][data-y='0.1']")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#trials tr.trial")).isEmpty());
        browser.findElements(By.cssSelector("#trials tr.trial")).get(0).click();
        waiting().until(d -> drawn(d, "chart-epochs"));
        Path shot = Path.of("target/ui/explorer.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    @Test
    @Order(4)
    void aRecurrentTrialDrawsItsTimeStepGradients() throws SQLException {
        needBrowser();
        open();
        browser.findElement(By.cssSelector("#sweeps tr[data-sweep='rnn']")).click();
        waiting().until(d -> attr(d, By.id("heatmap"), "data-loaded").startsWith("rnn|"));
        browser.findElement(By.cssSelector("#heatmap td.cell")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#trials tr.trial")).isEmpty());
        browser.findElements(By.cssSelector("#trials tr.trial")).get(0).click();
        waiting().until(d -> drawn(d, "chart-timesteps"));
        long steps = (long) Duck.scalar("SELECT count(DISTINCT t) FROM " + table("timestep_gradients")
                + " WHERE sweep = 'rnn'");
        assertThat(steps).isEqualTo(5);
        assertThat(browser.findElement(By.id("chart-timesteps")).getAttribute("data-drawn")).isEqualTo("5");
    }

    // ---- the command line: refusals, exit 2, with no browser -------------------------------------------------

    record Result(int code, String out, String err) {
    }

    static Result ui(String... args) {
        return gradsweep(Stream.concat(Stream.of("ui"), Stream.of(args)).toArray(String[]::new));
    }

    static Result gradsweep(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString().strip());
    }

    @Test
    void aPortInUseIsExitTwo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result r = ui("--out", served.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err()).startsWith("Cannot start explorer: '--port' is " + taken.getLocalPort()
                    + "; expected a port that is free on 127.0.0.1 (");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aResultsDirectoryWithoutSweepsIsExitTwo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result r = ui("--out", empty.toString(), "--port", "0");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("Cannot query results: '--out' is " + empty + "; expected a directory "
                + "holding gradsweep results (<table>/sweep=<name>/*.parquet)");
    }

    @Test
    void badPortsAndHostsAreExitTwo() {
        for (String port : List.of("70000", "-1")) {
            Result r = ui("--out", served.toString(), "--port", port);
            assertThat(r.code()).as(port).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err()).isEqualTo("Cannot start explorer: '--port' is " + port + "; expected an integer "
                    + "from 1 to 65535 (or 0 for a free port)");
        }
        Result word = ui("--out", served.toString(), "--port", "http");
        assertThat(word.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(word.err()).startsWith("Invalid value for option '--port': 'http' is not an int");
        Result host = ui("--out", served.toString(), "--port", "0", "--host", "192.0.2.1");
        assertThat(host.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(host.err()).isEqualTo("Cannot start explorer: '--host' is '192.0.2.1'; expected an address of "
                + "this machine, such as 127.0.0.1");
    }

    /** run --ui binds before Spark starts: a busy or impossible port is exit 2 with nothing trained or written. */
    @Test
    void runRefusesAnExplorerPortItCannotUseBeforeTraining() throws IOException {
        Path spec = Files.writeString(dir.resolve("grid.yaml"), GRID);
        Path out = dir.resolve("run-ui");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result busy = gradsweep("run", spec.toString(), "--out", out.toString(), "--master", "local[1]",
                    "--ui=" + taken.getLocalPort());
            assertThat(busy.code()).isEqualTo(Main.INVALID_INPUT);
            assertThat(busy.err()).startsWith("Cannot start explorer: '--port' is " + taken.getLocalPort()
                    + "; expected a port that is free on 127.0.0.1 (");
        }
        Result wide = gradsweep("run", spec.toString(), "--out", out.toString(), "--ui=65536");
        assertThat(wide.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(wide.err()).isEqualTo("Cannot start explorer: '--port' is 65536; expected an integer from 1 to "
                + "65535 (or 0 for a free port)");
        assertThat(out).doesNotExist();
    }
}
