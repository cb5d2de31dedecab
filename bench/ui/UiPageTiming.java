import java.nio.file.*;
import java.time.Duration;
import org.openqa.selenium.*;
import org.openqa.selenium.chrome.*;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Wall time from navigation to a drawn heatmap, and from a trial click to drawn curves (bench only, not a test). */
public class UiPageTiming {
    public static void main(String[] a) throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,2600", "--user-data-dir=" + Files.createTempDirectory("chr"));
        ChromeDriver b = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build(), o);
        WebDriverWait w = new WebDriverWait(b, Duration.ofSeconds(60));
        try {
            for (int run = 0; run < 6; run++) {
                long t0 = System.nanoTime();
                b.get(a[0]);
                w.until(d -> { String v = d.findElement(By.id("heatmap")).getAttribute("data-loaded"); return v != null; });
                long t1 = System.nanoTime();
                int cells = b.findElements(By.cssSelector("#heatmap td.cell")).size();
                b.findElement(By.cssSelector("#heatmap td.cell[data-x='tanh'][data-y='0.01']")).click();
                w.until(d -> !d.findElements(By.cssSelector("#trials tr.trial")).isEmpty());
                long t2 = System.nanoTime();
                int trials = b.findElements(By.cssSelector("#trials tr.trial")).size();
                b.findElements(By.cssSelector("#trials tr.trial")).get(run).click();
                w.until(d -> { String v = d.findElement(By.id("chart-hist-gradient")).getAttribute("data-drawn");
                    return v != null && !v.equals("none") && d.findElement(By.id("trial-title")).getText().length() > 0; });
                long t3 = System.nanoTime();
                Object grid = b.executeScript("return window.gsTimings.grid");
                Object trial = b.executeScript("return window.gsTimings.trial");
                System.out.printf("in page: grid view %.0f ms (%d cells), trial curves %.0f ms | outside (500 ms wait polls): "
                        + "grid %.0f ms, cell's %d trials %.0f ms, trial %.0f ms%n", ((Number) grid).doubleValue(), cells,
                        ((Number) trial).doubleValue(), (t1 - t0) / 1e6, trials, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
                if (run == 0) {
                    Files.write(Path.of(a[1]), b.getScreenshotAs(OutputType.BYTES));
                }
            }
        } finally {
            b.quit();
        }
    }
}
