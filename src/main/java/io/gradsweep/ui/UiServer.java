package io.gradsweep.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gradsweep.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The explorer's HTTP server: the JDK's own, bound to one address (127.0.0.1 unless told otherwise, since the
 * results are nobody else's business). It serves the page and its scripts from the jar, uPlot from its WebJar, and
 * JSON from {@link Explorer}. A request's mistake is a 400 with the team's message; anything else a 500.
 */
public final class UiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATIC = "io/gradsweep/ui/static/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + webjarVersion() + "/dist/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService threads;
    private final LiveResults results;

    private UiServer(HttpServer server, ExecutorService threads, LiveResults results) {
        this.server = server;
        this.threads = threads;
        this.results = results;
    }

    /**
     * Starts serving {@code out}. {@code live} is the sweep a run is training (its done/total/ETA on the page), or
     * {@link Progress#none()}.
     *
     * @throws InvalidInputException when the address cannot be bound (a port in use, an unknown host)
     */
    public static UiServer start(String out, String host, int port, String liveSweep, long liveTotal)
            throws IOException {
        InetSocketAddress address = address(host, port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new InvalidInputException("Cannot start explorer: '--port' is " + port + "; expected a port that "
                    + "is free on " + host + " (" + e.getMessage() + ")");
        }
        LiveResults results = new LiveResults(out);
        Progress progress = liveSweep == null ? Progress.none() : new Progress(liveSweep, liveTotal, System::nanoTime);
        Explorer explorer = new Explorer(results, progress);
        try {
            explorer.progress(); // the ETA's starting point: what was committed before
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot read " + out + ": " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "gradsweep-ui");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", ex -> handle(ex, () -> page(ex)));
        server.createContext("/api/", ex -> handle(ex, () -> api(ex, explorer)));
        server.start();
        return new UiServer(server, threads, results);
    }

    /** The address to bind: {@code host} must name this machine (a wildcard address included). */
    private static InetSocketAddress address(String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved() || !(address.getAddress().isAnyLocalAddress()
                || java.net.NetworkInterface.getByInetAddress(address.getAddress()) != null)) {
            throw new InvalidInputException("Cannot start explorer: '--host' is '" + host + "'; expected an address "
                    + "of this machine, such as 127.0.0.1");
        }
        return address;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    private interface Answer {
        void send() throws Exception;
    }

    private static void handle(HttpExchange ex, Answer answer) throws IOException {
        try (ex) {
            answer.send();
        } catch (InvalidInputException e) {
            send(ex, 400, "application/json", JSON.writeValueAsBytes(Map.of("error", e.getMessage())));
        } catch (Exception e) {
            send(ex, 500, "application/json", JSON.writeValueAsBytes(Map.of("error", String.valueOf(e))));
        }
    }

    private static void api(HttpExchange ex, Explorer explorer) throws Exception {
        Map<String, String> q = query(ex);
        String sweep = q.remove("sweep");
        Object answer = switch (ex.getRequestURI().getPath()) {
            case "/api/progress" -> explorer.progress();
            case "/api/sweeps" -> explorer.sweeps();
            case "/api/axes" -> explorer.axes(sweep);
            case "/api/grid" -> explorer.grid(sweep, q.remove("x"), q.remove("y"), q.remove("metric"), q);
            case "/api/trials" -> explorer.trials(sweep, q);
            case "/api/trial" -> explorer.trial(sweep, q.get("id"));
            default -> throw new InvalidInputException("Cannot answer: 'path' is " + ex.getRequestURI().getPath()
                    + "; expected one of /api/progress, /api/sweeps, /api/axes, /api/grid, /api/trials, /api/trial");
        };
        send(ex, 200, "application/json", JSON.writeValueAsBytes(answer));
    }

    /** The query string; names other than the endpoint's own (sweep, x, y, metric, id) are axis filters. */
    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                q.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void page(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String resource = path.equals("/") ? STATIC + "index.html"
                : path.startsWith("/lib/") ? UPLOT + path.substring(5)
                : path.startsWith("/static/") ? STATIC + path.substring(8) : null;
        InputStream in = resource == null || resource.contains("..") ? null
                : UiServer.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            send(ex, 404, "text/plain; charset=utf-8", ("Not found: " + path).getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (in) {
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /** The uPlot version on the classpath, from its WebJar's Maven metadata, so the pom names it once. */
    private static String webjarVersion() {
        try (InputStream in = UiServer.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the classpath");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the uPlot WebJar's version", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        results.close();
    }
}
