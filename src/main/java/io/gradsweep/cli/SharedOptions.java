package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.spec.Grid;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Options that several commands take, each declared once as a picocli mixin, so that its name, default and help
 * read the same in every command that has it. Values that need checking are private behind the method that checks
 * them, so no command can read one unchecked.
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** {@code --out}: where {@code run} writes results and {@code query} and {@code report} read them. */
    static final class Out {
        @Option(names = "--out", defaultValue = "results", paramLabel = "DIR",
                description = "Results root, any Hadoop FileSystem URI (default ${DEFAULT-VALUE}).")
        String root;
    }

    /** {@code --engine}: what runs the SQL of query and report; checked by {@link io.gradsweep.analysis.SqlEngine}. */
    static final class Engine {
        @Option(names = "--engine", defaultValue = "auto", paramLabel = "ENGINE",
                description = "SQL engine: auto (default: DuckDB for local results, Spark SQL for hdfs://, s3a:// "
                        + "...), duckdb or spark.")
        String name;
    }

    /** {@code --master}: null leaves the choice to spark-submit, else local[*]. */
    static final class Master {
        /** Spark's own local forms: local[K] and local[K,F], K threads or *, F failures allowed per task. */
        private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:\\s*,\\s*(\\d+))?]");

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master; default: spark-submit's, else local[*].")
        private String url;

        /** The URL given, or null; a local one is checked first (see {@link #check}). */
        String url() {
            return check(url);
        }

        /**
         * Spark refuses {@code local[0]} or {@code local[x]} only inside the SparkContext's constructor, as a stack
         * trace and exit 4, so the local forms are checked before it starts. Other masters are Spark's to judge.
         */
        static String check(String url) {
            if (url == null || !url.startsWith("local[")) {
                return url;
            }
            Matcher m = LOCAL.matcher(url);
            if (!m.matches() || !positive(m.group(1)) || (m.group(2) != null && !positive(m.group(2)))) {
                throw new InvalidInputException("Cannot start Spark: '--master' is '" + url + "'; expected local, "
                        + "local[*], local[K] or local[K,F] with K threads (or *) and F maxFailures, both positive "
                        + "integers");
            }
            return url;
        }

        private static boolean positive(String count) {
            if (count.equals("*")) {
                return true;
            }
            String digits = count.replaceFirst("^0+(?=\\d)", "");
            return digits.length() <= 10 && Long.parseLong(digits) >= 1 && Long.parseLong(digits) <= Integer.MAX_VALUE;
        }
    }

    /** {@code --max-trials}: a larger grid is refused before anything is expanded or trained. */
    static final class MaxTrials {
        @Option(names = "--max-trials", defaultValue = "" + Grid.DEFAULT_MAX_TRIALS, paramLabel = "N",
                description = "Largest grid accepted (default ${DEFAULT-VALUE}).")
        private long maxTrials;

        /** The limit; one below 1 would refuse every grid with "expected at most -1", which blames the grid. */
        long limit() {
            if (maxTrials < 1) {
                throw new InvalidInputException("Cannot expand grid: '--max-trials' is " + maxTrials
                        + "; expected a positive integer");
            }
            return maxTrials;
        }
    }

    /** {@code --port} and {@code --host} of the explorer ({@code ui}, {@code run --ui}). */
    static final class UiAddress {
        static final int DEFAULT_PORT = 8765;

        @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, paramLabel = "N",
                description = "Explorer port (default ${DEFAULT-VALUE}; 0 picks a free one).")
        private int port;

        @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
                description = "Address to serve on (default ${DEFAULT-VALUE}: this machine only).")
        private String host;

        int port() {
            return check(port);
        }

        String host() {
            return host;
        }

        static int check(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("Cannot start explorer: '--port' is " + port + "; expected an "
                        + "integer from 1 to 65535 (or 0 for a free port)");
            }
            return port;
        }
    }
}
