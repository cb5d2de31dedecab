package io.gradsweep.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.Evaluation;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet written through parquet-hadoop and read back by a second engine, DuckDB. */
class BatchOutputTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static List<TrialConfig> trials() {
        return Grid.expand(SpecParser.parse("""
                name: io-test
                dataset: {name: xor, samples: 64}
                train: {epochs: 1, batch_size: 16}
                grid: {activation: [relu, tanh], depth: [1], width: [2], seed: [1, 2]}
                """), 10);
    }

    private void writeBatch(String attempt, boolean commit) throws IOException {
        OutputLayout layout = OutputLayout.of(dir.toUri().toString());
        try (BatchOutput out = new BatchOutput(layout, "io-test", "b00000-test", attempt, conf)) {
            for (TrialConfig t : trials()) {
                for (int it = 0; it < 3; it++) {
                    Moments g = new Moments(4, it, 0.5, it + 0.25, 2.0 * it, 3.0);
                    Moments w = new Moments(4, -1, 1, 1, 2, 2);
                    out.gradient(new GradientRow(t.trialId(), 0, it, 0, "W", g, w, it == 0 ? null : 0.01 * it,
                            2.0 * it, 0));
                }
                out.epoch(new EpochRow(t.trialId(), 0, 0.5, 0.75, null, null));
                out.activation(new ActivationRow(t.trialId(), 0, 0, 0, 8, 0.25, 0.5, 0.125, null));
                for (int step = 0; step < 2; step++) {
                    out.timestepGradient(new TimestepRow(t.trialId(), 0, 0, 1, step, 6, 0.5 * (step + 1), 0.25));
                }
                out.trial(new TrialOutcome(t, TrialOutcome.OK, new Evaluation(0.5, 0.75), null, 3, 10, "healthy", 0.2,
                        2.0, null));
            }
            if (commit) {
                out.commit();
            }
        }
    }

    private List<Path> parquetFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static List<List<Object>> query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void committedFilesAreReadableByDuckDbWithTheDeclaredTypes() throws Exception {
        writeBatch("a1", true);
        assertThat(parquetFiles()).extracting(p -> dir.relativize(p).toString()).containsExactly(
                "activations/sweep=io-test/part-b00000-test.parquet",
                "epochs/sweep=io-test/part-b00000-test.parquet",
                "gradients/sweep=io-test/part-b00000-test.parquet",
                "histograms/sweep=io-test/part-b00000-test.parquet",
                "timestep_gradients/sweep=io-test/part-b00000-test.parquet",
                "trials/sweep=io-test/part-b00000-test.parquet");
        assertThat(dir.resolve("_staging/sweep=io-test")).isEmptyDirectory();

        String glob = "read_parquet('" + dir + "/**/*.parquet', hive_partitioning=true, union_by_name=true)";
        String trials = "read_parquet('" + dir + "/trials/*/*.parquet', hive_partitioning=true)";
        String grads = "read_parquet('" + dir + "/gradients/*/*.parquet', hive_partitioning=true)";
        assertThat(query("SELECT count(*), count(DISTINCT trial_id), min(sweep) FROM " + trials))
                .containsExactly(List.of(4L, 4L, "io-test"));
        assertThat(query("SELECT count(*), sum(mean), sum(l2), count(update_ratio), sum(update_ratio) FROM " + grads))
                .containsExactly(List.of(12L, 12.0, 24.0, 8L, 0.12));
        assertThat(query("SELECT count(*) FROM " + glob)).containsExactly(List.of(4L + 12L + 4L + 4L + 8L));
        assertThat(query("SELECT sum(saturated_fraction), count(dead_fraction) FROM read_parquet('" + dir
                + "/activations/*/*.parquet')")).containsExactly(List.of(0.5, 0L));
        assertThat(query("SELECT column_name, column_type FROM (DESCRIBE SELECT trial_id, depth, seed, "
                + "learning_rate, test_accuracy FROM " + trials + ")")).containsExactly(
                List.of("trial_id", "VARCHAR"), List.of("depth", "INTEGER"), List.of("seed", "BIGINT"),
                List.of("learning_rate", "DOUBLE"), List.of("test_accuracy", "DOUBLE"));
        assertThat(query("SELECT DISTINCT vanishing_ratio, exploding_l2 FROM " + trials))
                .containsExactly(List.of(0.1, 1000.0));
        assertThat(query("SELECT activation, seed, status, test_accuracy IS NULL FROM " + trials
                + " ORDER BY trial_index")).containsExactly(List.of("relu", 1L, "ok", true),
                List.of("relu", 2L, "ok", true), List.of("tanh", 1L, "ok", true), List.of("tanh", 2L, "ok", true));
    }

    @Test
    void timestepGradientsRoundTripWithTheirDeclaredTypes() throws Exception {
        writeBatch("a1", true);
        String steps = "read_parquet('" + dir + "/timestep_gradients/*/*.parquet', hive_partitioning=true)";
        assertThat(query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + steps + ")"))
                .containsExactly(List.of("trial_id", "VARCHAR"), List.of("epoch", "INTEGER"),
                        List.of("iteration", "BIGINT"), List.of("layer", "INTEGER"), List.of("t", "INTEGER"),
                        List.of("n", "INTEGER"), List.of("l2", "DOUBLE"), List.of("max_abs", "DOUBLE"),
                        List.of("sweep", "VARCHAR"));
        assertThat(query("SELECT t, count(*), sum(l2), min(layer), max(n), max(max_abs) FROM " + steps
                + " GROUP BY t ORDER BY t")).containsExactly(List.of(0, 4L, 2.0, 1, 6, 0.25),
                List.of(1, 4L, 4.0, 1, 6, 0.25));
        assertThat(query("SELECT count(DISTINCT trial_id) FROM " + steps + " s JOIN read_parquet('" + dir
                + "/trials/*/*.parquet') t USING (trial_id)")).containsExactly(List.of(4L));
    }

    @Test
    void stagedOutputIsInvisibleAndARepeatedAttemptDuplicatesNothing() throws Exception {
        writeBatch("a1", false); // never committed: closing aborts it
        assertThat(parquetFiles()).isEmpty();
        writeBatch("a2", true);
        writeBatch("a3", true); // a retry or speculative copy of the same batch
        assertThat(parquetFiles()).hasSize(Tables.ALL.size());
        String grads = "read_parquet('" + dir + "/gradients/*/*.parquet')";
        assertThat(query("SELECT count(*), count(DISTINCT (trial_id, iteration, layer, param)) FROM " + grads))
                .containsExactly(List.of(12L, 12L));
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void parquetSchemaIsDerivedFromTheSingleTableDefinition() {
        // Each column becomes one field, in order, optional exactly when nullable, of its type's Parquet type.
        Map<Column.Type, String> parquet = Map.of(Column.Type.DOUBLE, "double %s", Column.Type.INT, "int32 %s",
                Column.Type.BIGINT, "int64 %s", Column.Type.BOOLEAN, "boolean %s", Column.Type.STRING,
                "binary %s (STRING)");
        for (Table<?> table : Tables.ALL) {
            MessageType schema = ParquetSchemas.of(table);
            assertThat(schema.getName()).isEqualTo(table.name());
            List<String> expected = table.columns().stream().map(c -> (c.nullable() ? "optional " : "required ")
                    + parquet.get(c.type()).formatted(c.name())).toList();
            assertThat(schema.getFields()).extracting(Object::toString).as(table.name())
                    .containsExactlyElementsOf(expected);
        }
        assertThat(ParquetSchemas.of(Tables.TRIALS).toString()).contains("required binary trial_id (STRING)",
                "optional double test_accuracy", "required int64 seed", "required int32 depth");
    }

    /** The trials part records each table's rows at commit; PartCheck holds every part to its count. */
    @Test
    void theTrialsPartRecordsEveryTablesRowsAndAPartWithOtherRowsDoesNotVerify() throws Exception {
        writeBatch("a1", true);
        String trials = dir.resolve("trials/sweep=io-test/part-b00000-test.parquet").toString();
        assertThat(query("SELECT decode(key), decode(value) FROM parquet_kv_metadata('" + trials + "') "
                + "WHERE decode(key) LIKE 'gradsweep.rows.%' ORDER BY 1")).containsExactly(
                List.of("gradsweep.rows.activations", "4"), List.of("gradsweep.rows.epochs", "4"),
                List.of("gradsweep.rows.gradients", "12"), List.of("gradsweep.rows.histograms", "0"),
                List.of("gradsweep.rows.timestep_gradients", "8"), List.of("gradsweep.rows.trials", "4"));
        OutputLayout layout = OutputLayout.of(dir.toString());
        PartCheck.Result ok = PartCheck.check(layout, "io-test", conf);
        assertThat(ok.damage()).isEmpty();
        assertThat(ok.verified().get("b00000-test")).hasSize(4);

        // A whole, readable Parquet file with the wrong rows: only the recorded count can tell.
        Path gradients = dir.resolve("gradients/sweep=io-test/part-b00000-test.parquet");
        Files.delete(gradients.resolveSibling(".part-b00000-test.parquet.crc"));
        Files.copy(dir.resolve("epochs/sweep=io-test/part-b00000-test.parquet"), gradients,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PartCheck.Result bad = PartCheck.check(layout, "io-test", conf);
        assertThat(bad.verified()).isEmpty();
        assertThat(bad.refusal("read results of sweep 'io-test'", "io-test")).isEqualTo("Cannot read results of "
                + "sweep 'io-test': '" + dir + "/gradients/sweep=io-test/part-b00000-test.parquet' is 4 rows; "
                + "expected 12 rows, as the trials part of batch b00000-test recorded at commit — run sweep "
                + "'io-test' again with --resume --repair to delete the 1 batch that does not verify and retrain its "
                + "trials");
    }
}
