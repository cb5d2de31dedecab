package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The engine that runs {@code query}, the canned analyses and {@code report}'s loading. DuckDB, embedded, answers in
 * a second where a cold SparkSession takes twenty; it reads local files only, so results on cluster storage
 * (hdfs://, s3a://...) go to Spark SQL, as does anything asked for with {@code --engine spark}.
 */
public enum SqlEngine {
    DUCKDB, SPARK;

    /** The values {@code --engine} accepts: auto picks by where the results are. */
    public static final List<String> CHOICES = List.of("auto", "duckdb", "spark");

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param given what {@code --engine} says (auto when null)
     * @param out   the results root, a path or URI
     */
    public static SqlEngine choose(String given, String out) {
        String g = given == null ? "auto" : given;
        if (!CHOICES.contains(g)) {
            throw new InvalidInputException("Cannot read results: '--engine' is '" + g + "'; expected one of "
                    + String.join(", ", CHOICES));
        }
        boolean local = isLocal(out);
        if (g.equals("auto")) {
            return local ? DUCKDB : SPARK;
        }
        SqlEngine chosen = Arrays.stream(values()).filter(e -> e.spelling().equals(g)).findFirst().orElseThrow();
        if (chosen == DUCKDB && !local) {
            throw new InvalidInputException("Cannot read results: '--engine' is 'duckdb' with '--out' " + out
                    + "; expected spark (or auto) for results outside the local file system");
        }
        return chosen;
    }

    /** A plain path, or a file: URI. */
    public static boolean isLocal(String out) {
        try {
            String scheme = new URI(out.replace(" ", "%20")).getScheme();
            return scheme == null || scheme.equalsIgnoreCase("file") || scheme.length() == 1; // C:\ on Windows
        } catch (java.net.URISyntaxException e) {
            return !out.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
        }
    }
}
