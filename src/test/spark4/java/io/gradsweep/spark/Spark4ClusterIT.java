package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static io.gradsweep.testing.Duck.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Spark 4 build on a real standalone Spark 4 cluster (two workers on loopback, from spark-cluster.sh), and its
 * tables against the Spark 3.5 build's. The spec is {@link ClusterIT}'s first scenario, whose Spark 3.5 run leaves
 * its cluster and local-mode tables in target/cluster-it; .ci/run runs that first and sets
 * gradsweep.spark35.required, so that missing tables fail here instead of skipping.
 */
class Spark4ClusterIT {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIR = ROOT.resolve("target-spark4/cluster-it");
    static final Path SPARK35 = ROOT.resolve("target/cluster-it");

    @Test
    void sweepOnASpark4ClusterAndLocallyMatchesSpark35RowForRow() throws Exception {
        if (Files.exists(DIR)) {
            try (Stream<Path> old = Files.walk(DIR)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(DIR);
        Path spec = ClusterIT.spec(DIR, "same", 3, 6);
        Path onCluster = DIR.resolve("out-same-cluster");
        Path local = DIR.resolve("out-same-local");
        SparkCluster cluster = SparkCluster.start(DIR, 2);
        try {
            SparkCluster.Run a = cluster.submit(spec, onCluster, List.of(), List.of());
            assertThat(a.waitFor(Duration.ofMinutes(4))).as(a.log()).isZero();
            assertThat(a.log()).contains("on spark://127.0.0.1:" + cluster.masterPort());
            SparkCluster.Run b = cluster.submitLocal(spec, local);
            assertThat(b.waitFor(Duration.ofMinutes(4))).as(b.log()).isZero();
        } finally {
            cluster.stop();
        }
        assertThat(Files.readString(DIR.resolve("spark-home/RELEASE"))).startsWith("Spark 4.");
        ClusterIT.assertExactlyOnce(onCluster, 6);
        assertSameTables(onCluster, local);

        Path cluster35 = SPARK35.resolve("out-same-cluster");
        Path local35 = SPARK35.resolve("out-same-local");
        boolean present = Files.isDirectory(cluster35.resolve("trials")) && Files.isDirectory(local35.resolve("trials"));
        if (!present && Boolean.getBoolean("gradsweep.spark35.required")) {
            throw new AssertionError("the Spark 3.5 run's tables are missing from " + SPARK35 + "; expected "
                    + "ClusterIT's first scenario to have written them (mvn verify before mvn -Pspark4 verify)");
        }
        Assumptions.assumeTrue(present, "no Spark 3.5 tables in " + SPARK35 + " to compare with (run mvn verify)");
        assertSameTables(onCluster, cluster35);
        assertSameTables(local, local35);
    }

    /**
     * Every table, row for row as a multiset, each value as DuckDB's text of it (a double's shortest round-trip
     * form, so equal text is equal bits, -0.0 included); only trials.wall_ms, a timing, is left out.
     */
    static void assertSameTables(Path x, Path y) throws Exception {
        for (Table<?> t : Tables.ALL) {
            boolean inX = Files.isDirectory(x.resolve(t.name()));
            assertThat(Files.isDirectory(y.resolve(t.name()))).as(t.name() + " in " + y).isEqualTo(inX);
            if (!inX) {
                continue;
            }
            String a = values(x, t.name());
            String b = values(y, t.name());
            double rows = scalar("SELECT count(*) FROM " + table(x, t.name()));
            assertThat(scalar("SELECT count(*) FROM " + table(y, t.name()))).as(t.name() + " rows").isEqualTo(rows);
            assertThat(scalar("SELECT count(*) FROM (" + a + " EXCEPT ALL " + b + ")")).as(t.name()).isZero();
            assertThat(scalar("SELECT count(*) FROM (" + b + " EXCEPT ALL " + a + ")")).as(t.name()).isZero();
        }
    }

    private static String values(Path out, String table) {
        return "SELECT COLUMNS(c -> c <> 'wall_ms')::VARCHAR FROM " + table(out, table);
    }
}
