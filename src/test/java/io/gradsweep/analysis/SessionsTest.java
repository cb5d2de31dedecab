package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The session a query creates for itself (no notebook or test session to borrow): Spark's own second line behind
 * {@link ReadOnlySql}, and a warehouse that never lands in the working directory.
 */
class SessionsTest {
    @Test
    void anOwnedSessionReadsNoFilesNamedInSqlAndKeepsItsWarehouseInScratch() {
        // Classes before this one stopped their sessions; forget them so that this one is created, not borrowed.
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        Path cwdWarehouse = Path.of("spark-warehouse").toAbsolutePath();
        boolean existed = Files.exists(cwdWarehouse);
        Path scratch;
        try (Sessions s = Sessions.open("local[2]", "sessions-test")) {
            assertThat(s.owned()).isTrue();
            scratch = s.scratch();
            assertThat(s.spark().conf().get("spark.sql.runSQLOnFiles")).isEqualTo("false");
            assertThat(s.spark().conf().get("spark.sql.warehouse.dir")).endsWith(scratch.toString());
            // Unguarded, straight to Spark: with runSQLOnFiles off the path is just an unknown table's name, and
            // looking it up creates the catalog's default database, in the scratch warehouse.
            assertThatThrownBy(() -> s.spark().sql("SELECT * FROM text.`/etc/passwd`").collect())
                    .isInstanceOf(AnalysisException.class).hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
            assertThat(scratch).isDirectory();
            assertThat(s.spark().sql("SELECT 41 + 1").first().getInt(0)).isEqualTo(42);
        }
        assertThat(scratch).doesNotExist();
        if (!existed) {
            assertThat(cwdWarehouse).doesNotExist();
        }
    }
}
