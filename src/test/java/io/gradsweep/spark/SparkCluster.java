package io.gradsweep.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test harness around {@code src/test/cluster/spark-cluster.sh}: starts the loopback cluster, submits sweeps through
 * {@code submit.sh}, finds and kills its JVMs, and always tears everything down (also from a shutdown hook).
 */
final class SparkCluster {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path SCRIPT = ROOT.resolve("src/test/cluster/spark-cluster.sh");
    private static final Pattern ALIVE = Pattern.compile("\"state\"\\s*:\\s*\"ALIVE\"");
    /**
     * The Spark line of the build under test (the pom's gradsweep.spark: 3.5 or 4): the cluster script assembles that
     * Spark, and submit.sh submits that build's jar, through their GRADSWEEP_SPARK.
     */
    static final String LINE = System.getProperty("gradsweep.spark", "3.5");

    private final Path dir;
    private final int masterPort;
    private final int masterUi;
    private final int[] workerUi;
    private final Thread hook;

    private SparkCluster(Path dir, int masterPort, int masterUi, int[] workerUi) {
        this.dir = dir;
        this.masterPort = masterPort;
        this.masterUi = masterUi;
        this.workerUi = workerUi;
        this.hook = new Thread(this::stopQuietly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static SparkCluster start(Path dir, int workers) throws Exception {
        int[] ports = freePorts(2 + workers);
        int[] workerUi = java.util.Arrays.copyOfRange(ports, 2, ports.length);
        SparkCluster c = new SparkCluster(dir, ports[0], ports[1], workerUi);
        List<String> args = new ArrayList<>(List.of("start", dir.toString(), "" + ports[0], "" + ports[1]));
        for (int p : workerUi) {
            args.add("" + p);
        }
        c.script(args);
        c.awaitAliveWorkers(workers, Duration.ofMinutes(2));
        return c;
    }

    int masterPort() {
        return masterPort;
    }

    /** A sweep through submit.sh and spark-submit in client mode; output goes to a log file. */
    Run submit(Path spec, Path out, List<String> submitArgs, List<String> runArgs) throws IOException {
        return submit(spec, out.toString(), submitArgs, runArgs);
    }

    /** The same with {@code --out} a URI (hdfs://...), which a {@link Path} would not keep intact. */
    Run submit(Path spec, String out, List<String> submitArgs, List<String> runArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("submit.sh").toString(), spec.toString(),
                "--master", "spark://127.0.0.1:" + masterPort, "--out", out));
        cmd.addAll(runArgs);
        cmd.addAll(List.of("--", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.memory=768m",
                "--conf", "spark.ui.enabled=false"));
        cmd.addAll(submitArgs);
        return launch(cmd, out.substring(out.lastIndexOf('/') + 1) + "-" + System.nanoTime() + ".log");
    }

    /** The same spec embedded in local[2], as a user without a cluster would run it. */
    Run submitLocal(Path spec, Path out) throws IOException {
        return launch(List.of("bash", ROOT.resolve("submit.sh").toString(), spec.toString(), "--master", "local[2]",
                "--out", out.toString()), out.getFileName() + ".log");
    }

    private Run launch(List<String> cmd, String logName) throws IOException {
        Path log = dir.resolve(logName);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        pb.environment().put("GRADSWEEP_SPARK", LINE);
        pb.environment().put("GRADSWEEP_NO_BUILD", "1"); // a rebuild's 'mvn clean' would wipe this test's files
        return new Run(pb.start(), log);
    }

    /** Executor JVMs of this cluster (children of the workers, found by their command line). */
    List<ProcessHandle> executors() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("CoarseGrainedExecutorBackend") && c.contains(dir.toString()))
                .orElse(false)).toList();
    }

    void awaitNoExecutors(Duration timeout) throws InterruptedException {
        poll(() -> executors().isEmpty(), timeout, "executors still running");
    }

    void killWorker(int index) throws IOException, InterruptedException {
        long pid = pid("worker-" + index);
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("worker gone: " + pid));
        worker.destroyForcibly();
        poll(() -> !worker.isAlive(), Duration.ofSeconds(30), "worker " + index + " did not die");
    }

    void restartWorker(int index) throws Exception {
        script(List.of("start-worker", dir.toString(), "" + index, "" + workerUi[index], "" + masterPort));
        awaitAliveWorkers(workerUi.length, Duration.ofMinutes(2));
    }

    void stop() throws IOException, InterruptedException {
        script(List.of("stop", dir.toString()));
        Runtime.getRuntime().removeShutdownHook(hook);
    }

    private void stopQuietly() {
        try {
            script(List.of("stop", dir.toString()));
        } catch (IOException | InterruptedException e) {
            System.err.println("spark-cluster.sh stop failed: " + e);
        }
    }

    private long pid(String role) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("pids"))) {
            String[] parts = line.split(" ");
            if (parts[0].equals(role)) {
                return Long.parseLong(parts[1]);
            }
        }
        throw new AssertionError("no pid for " + role);
    }

    private void script(List<String> args) throws IOException, InterruptedException {
        runScript(SCRIPT, args);
    }

    /** Runs a test daemon script with bash; a non-zero exit fails with the script's whole output. */
    static void runScript(Path script, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GRADSWEEP_SPARK", LINE);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script.getFileName() + " " + args + " failed:\n" + output);
        }
    }

    private void awaitAliveWorkers(int n, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/")).build();
        poll(() -> {
            try {
                Matcher m = ALIVE.matcher(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
                int alive = 0;
                while (m.find()) {
                    alive++;
                }
                return alive == n;
            } catch (IOException e) {
                return false;
            }
        }, timeout, n + " ALIVE workers");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void poll(Condition c, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    /** n distinct free loopback ports, all held open together while they are chosen. */
    static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    /** One submission: its driver JVM (submit.sh and spark-submit exec into it, so the PID is the driver's). */
    record Run(Process process, Path logFile) {
        int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("submission did not finish in " + timeout + ":\n" + log());
            }
            return process.exitValue();
        }

        void awaitCommitted(Condition c, Duration timeout) throws InterruptedException {
            poll(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("submission ended early:\n" + log());
                }
                return c.holds();
            }, timeout, "committed output");
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
