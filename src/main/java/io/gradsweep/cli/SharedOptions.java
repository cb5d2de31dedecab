package io.gradsweep.cli;

import io.gradsweep.spec.Grid;
import picocli.CommandLine.Option;

/**
 * Options that several commands take, each declared once as a picocli mixin, so that its name, default and help
 * read the same in every command that has it.
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

    /** {@code --master}: null leaves the choice to spark-submit, else local[*]. */
    static final class Master {
        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master; default: spark-submit's, else local[*].")
        String url;
    }

    /** {@code --max-trials}: a larger grid is refused before anything is expanded or trained. */
    static final class MaxTrials {
        @Option(names = "--max-trials", defaultValue = "" + Grid.DEFAULT_MAX_TRIALS, paramLabel = "N",
                description = "Largest grid accepted (default ${DEFAULT-VALUE}).")
        long maxTrials;
    }
}
