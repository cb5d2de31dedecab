package io.gradsweep.report;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The report's figures, drawn on every core while the page is written around them: painting and PNG encoding are
 * most of a report's time once DuckDB has loaded the data, and each figure is independent of the others (its own
 * charts and image). The page and the files come out the same as drawn one by one.
 */
final class Figures implements AutoCloseable {
    private final ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            r -> {
                Thread t = new Thread(r, "gradsweep-report-figure");
                t.setDaemon(true);
                return t;
            });
    private final Map<String, Future<byte[]>> images = new LinkedHashMap<>();
    private final HtmlPage page;

    Figures(HtmlPage page) {
        this.page = page;
    }

    /** Draws {@code png} in the background and embeds it at this point of the page. */
    void add(String file, Supplier<byte[]> png, String alt) {
        Future<byte[]> drawn = pool.submit(png::get);
        images.put(file, drawn);
        page.image(file, drawn, alt);
    }

    /** Every figure in page order, once drawn; a figure that failed fails the report with its cause. */
    Map<String, byte[]> drawn() throws IOException {
        Map<String, byte[]> done = new LinkedHashMap<>();
        for (Map.Entry<String, Future<byte[]>> e : images.entrySet()) {
            done.put(e.getKey(), get(e.getValue()));
        }
        return done;
    }

    static byte[] get(Future<byte[]> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing the report", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
