package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.spec.Grid;
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
}
