package io.gradsweep.spark;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hadoop.conf.Configuration;

/**
 * Test harness around {@code src/test/storage/storage-servers.sh}: a real HDFS (NameNode and DataNode) and an S3 API
 * server (S3Proxy, objects in memory), each in its own JVM on 127.0.0.1 and free ports, and the Hadoop settings that reach them. A
 * server that does not start fails the test (never a skip); {@link #stop()} runs also from a shutdown hook, so no
 * server outlives the test JVM.
 */
final class StorageServers implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/test/storage/storage-servers.sh").toAbsolutePath();
    static final String BUCKET = "gradsweep";
    // As storage-servers.sh configures S3Proxy.
    static final String ACCESS_KEY = "gradsweep-test";
    static final String SECRET_KEY = "gradsweep-test-secret";

    private final Path dir;
    private final Thread hook;
    private int hdfsPort;
    private int s3Port;

    StorageServers(Path dir) {
        this.dir = dir;
        this.hook = new Thread(this::stopQuietly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts both at once (each start is mostly Maven resolving jars and a JVM warming up), and returns or throws
     * only when both attempts are over, so that {@link #stop()} finds every PID either of them recorded.
     */
    void startBoth() throws Exception {
        CompletableFuture<Void> s3 = CompletableFuture.runAsync(() -> {
            try {
                startS3();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Exception failed = null;
        try {
            startHdfs();
        } catch (Exception e) {
            failed = e;
        }
        try {
            s3.join();
        } catch (CompletionException e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
        if (failed != null) {
            throw failed;
        }
    }

    void startHdfs() throws Exception {
        hdfsPort = freePort();
        script(List.of("start-hdfs", dir.toString(), "" + hdfsPort));
    }

    void startS3() throws Exception {
        s3Port = freePort();
        script(List.of("start-s3", dir.toString(), "" + s3Port));
        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration("http://127.0.0.1:" + s3Port,
                        "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                .build();
        try {
            s3.createBucket(BUCKET);
        } finally {
            s3.shutdown();
        }
    }

    String hdfsUri() {
        return "hdfs://127.0.0.1:" + hdfsPort;
    }

    String s3Uri() {
        return "s3a://" + BUCKET;
    }

    /**
     * What a user sets to reach an S3-compatible server with S3A (README "Output on S3"): the endpoint, path-style
     * addressing (no bucket host names on 127.0.0.1), plain HTTP, static credentials, and a region for signing.
     */
    Map<String, String> s3aSettings() {
        return Map.of(
                "fs.s3a.endpoint", "http://127.0.0.1:" + s3Port,
                "fs.s3a.endpoint.region", "us-east-1",
                "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.access.key", ACCESS_KEY,
                "fs.s3a.secret.key", SECRET_KEY,
                // Few retries against a local server: a failure should show in seconds, not after minutes.
                "fs.s3a.attempts.maximum", "3",
                "fs.s3a.retry.limit", "3");
    }

    /** A Hadoop configuration that reaches both servers, for the test's own reads and writes. */
    Configuration conf() {
        Configuration conf = new Configuration();
        s3aSettings().forEach(conf::set);
        return conf;
    }

    /** The same settings as {@code spark.hadoop.*} options for submit.sh (after its {@code --}). */
    List<String> sparkConf() {
        List<String> args = new ArrayList<>();
        s3aSettings().forEach((k, v) -> {
            args.add("--conf");
            args.add("spark.hadoop." + k + "=" + v);
        });
        return args;
    }

    void stop() throws IOException, InterruptedException {
        script(List.of("stop", dir.toString()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        Runtime.getRuntime().removeShutdownHook(hook);
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            System.err.println("storage-servers.sh stop failed: " + e);
        }
    }

    private void script(List<String> args) throws IOException, InterruptedException {
        SparkCluster.runScript(SCRIPT, args);
    }

    private static int freePort() throws IOException {
        return SparkCluster.freePorts(1)[0];
    }
}
