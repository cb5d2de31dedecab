package io.gradsweep.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Verifies the committed parts of a sweep before anything trusts them. A batch verifies when
 * <ul>
 *   <li>its trials part reads whole: footer and every row (its trial ids are needed anyway, and it is small);</li>
 *   <li>every other table's part of the batch is there, its footer reads, and it holds the number of rows that the
 *       trials part recorded at commit in its key-value metadata ({@code gradsweep.rows.<table>}, see
 *       {@link BatchOutput}). Parts committed before that record existed are checked for a readable footer only.</li>
 * </ul>
 * Truncation (a copy cut short, a full disk, a lost last block) destroys the footer, which Parquet writes last, and
 * on file systems with checksums (file: with its .crc files, HDFS) every byte read is verified too. Footers are
 * cheap to read, so the check costs little however large the gradients are; the price is that a flipped bit inside a
 * data page of a table other than trials goes unnoticed until a query reads that page.
 */
public final class PartCheck {
    /** Prefix of the trials part's footer keys that record the rows of each table's part of the batch. */
    static final String ROWS = "gradsweep.rows.";

    private PartCheck() {
    }

    /** One file that does not verify: what it is, and what it should have been. */
    public record Damage(String batch, Path file, String is, String expected) {
        /** {@code '<path>' is <what is wrong>; expected <what it should be>}. */
        public String sentence() {
            return "'" + file + "' is " + is + "; expected " + expected;
        }
    }

    /** The batches that verify, each with its trial ids, and every file that does not, in batch order. */
    public record Result(Map<String, List<String>> verified, List<Damage> damage) {
        public Set<String> damagedBatches() {
            Set<String> batches = new LinkedHashSet<>();
            damage.forEach(d -> batches.add(d.batch()));
            return batches;
        }

        /**
         * The refusal of {@code action} over damaged parts, naming the first file and how to recover:
         * {@code Cannot <action>: '<path>' is <...>; expected <...> (N more files do not verify) — <recovery>}.
         */
        public String refusal(String action, String sweep) {
            int more = damage.size() - 1;
            int batches = damagedBatches().size();
            return "Cannot " + action + ": " + damage.get(0).sentence()
                    + (more == 0 ? "" : " (" + more + (more == 1 ? " more file does" : " more files do")
                    + " not verify)") + " — run sweep '" + sweep + "' again with --resume --repair to delete the "
                    + batches + (batches == 1 ? " batch that does not verify and retrain its trials"
                    : " batches that do not verify and retrain their trials");
        }
    }

    public static Result check(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        List<Path> trialsParts = new ArrayList<>(layout.committedFiles(Tables.TRIALS, sweep, conf));
        trialsParts.sort(Comparator.comparing(Path::getName));
        Map<String, List<String>> verified = new LinkedHashMap<>();
        List<Damage> damage = new ArrayList<>();
        for (Path listed : trialsParts) {
            String batch = SweepState.batchKey(listed);
            Path trials = layout.committedFile(Tables.TRIALS, sweep, batch); // named as --out was, like the others
            Map<String, String> recorded;
            List<String> ids;
            try {
                recorded = footer(trials, conf);
                ids = trialIds(trials, conf);
            } catch (IOException | RuntimeException e) {
                // Nothing of the batch can be trusted without it; --repair deletes its other parts unread.
                damage.add(unreadable(batch, trials, e));
                continue;
            }
            List<Damage> found = new ArrayList<>();
            for (Table<?> table : Tables.ALL) {
                if (table != Tables.TRIALS) {
                    checkPart(layout.committedFile(table, sweep, batch), batch, recorded.get(ROWS + table.name()),
                            conf, found);
                }
            }
            if (found.isEmpty()) {
                verified.put(batch, ids);
            }
            damage.addAll(found);
        }
        return new Result(verified, damage);
    }

    private static void checkPart(Path part, String batch, String recordedRows, Configuration conf,
                                  List<Damage> found) throws IOException {
        if (!part.getFileSystem(conf).exists(part)) {
            if (recordedRows != null) { // without a record, an older output that predates the table
                found.add(new Damage(batch, part, "missing", "the part of batch " + batch + " holding "
                        + recordedRows + " rows, as its trials part recorded at commit"));
            }
            return;
        }
        long rows;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(part, conf))) {
            rows = reader.getRecordCount();
        } catch (IOException | RuntimeException e) {
            found.add(unreadable(batch, part, e));
            return;
        }
        if (recordedRows != null && rows != Long.parseLong(recordedRows)) {
            found.add(new Damage(batch, part, rows + " rows", recordedRows + " rows, as the trials part of batch "
                    + batch + " recorded at commit"));
        }
    }

    private static Map<String, String> footer(Path file, Configuration conf) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            return reader.getFooter().getFileMetaData().getKeyValueMetaData();
        }
    }

    private static List<String> trialIds(Path file, Configuration conf) throws IOException {
        List<String> ids = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                ids.add(g.getString("trial_id", 0));
            }
        }
        return ids;
    }

    private static boolean checksum(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ChecksumException) {
                return true;
            }
        }
        return false;
    }

    /** Says why without the reader's stack: the path is in the sentence already, so it is cut from the cause. */
    private static Damage unreadable(String batch, Path file, Throwable e) {
        String expected = "the complete Parquet file that batch " + batch + " committed";
        if (checksum(e)) {
            return new Damage(batch, file, "damaged: its bytes do not match its checksum file ." + file.getName()
                    + ".crc (truncated or overwritten after commit)", expected);
        }
        String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                .replaceAll("\\S*" + Pattern.quote(file.toUri().getPath()), "it");
        return new Damage(batch, file, "not a readable Parquet file (" + e.getClass().getSimpleName() + ": " + why
                + "; truncated or damaged after commit?)", expected);
    }
}
