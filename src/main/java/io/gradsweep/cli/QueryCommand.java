package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.Analyses;
import io.gradsweep.analysis.Analysis;
import io.gradsweep.analysis.AnalysisParam;
import io.gradsweep.analysis.QueryOutput;
import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * SQL over a results directory: DuckDB for local results, Spark SQL for cluster storage or on request. Spark types appear only inside {@link #run}, so that {@code plan} and
 * {@code --help} keep working from the bare jar without Spark on the classpath. The help's description is
 * {@link #description()}, which {@link Main} installs: an annotation can only hold constants.
 */
@Command(name = "query", mixinStandardHelpOptions = true)
final class QueryCommand implements Callable<Integer> {
    /** Names the views and analyses from where they are defined, so that the help cannot fall behind them. */
    static String[] description() {
        return new String[] {
                "Run SQL over a results directory, or a canned analysis by name.",
                "DuckDB runs it for local results; Spark SQL for hdfs://, s3a:// ... and with --engine spark.",
                "Views: " + String.join(", ", Tables.ALL.stream().map(Table::name).toList())
                        + " (one per output table), each with a 'sweep' column.",
                "Canned analyses: " + String.join(", ", Analyses.NAMES) + " (--list shows their parameters)."};
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SQL",
            description = "One read-only query: SELECT, WITH, VALUES or DESCRIBE (DuckDB also FROM-first; Spark "
                    + "also TABLE and EXPLAIN).")
    String sql;

    @Mixin
    SharedOptions.Out out;

    @Option(names = "--sweep", paramLabel = "NAME", description = "Only this sweep; default all sweeps in --out.")
    String sweep;

    @Option(names = "--analysis", paramLabel = "NAME", description = "Run a canned analysis instead of SQL.")
    String analysis;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A parameter of the canned analysis.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--list", description = "List the canned analyses and their parameters.")
    boolean list;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default), csv, json (JSON Lines) or parquet (needs --to).")
    String format;

    @Option(names = "--to", paramLabel = "PATH", description = "Write the result here; never replaces a file.")
    String to;

    @Option(names = "--max-rows", defaultValue = "100",
            description = "Rows to print as a table (default ${DEFAULT-VALUE}); 0 prints all.")
    int maxRows;

    @Mixin
    SharedOptions.Engine engine;

    @Mixin
    SharedOptions.Master master;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = cmd.commandLine().getOut();
        if (list) {
            listAnalyses(console);
            return Main.OK;
        }
        Analysis.Bound bound = bind();
        SqlEngine.choose(engine.name, out.root); // an unknown --engine is refused before anything starts
        SparkClasspath.require("query"); // Hadoop's FileSystem reads the results for either engine
        QueryOutput.check(format, to);
        QueryRun.run(new QueryRun.Request(out.root, sweep, master.url(), engine.name, sql, bound, format, to,
                maxRows), console);
        return Main.OK;
    }

    /** Validates the choice between SQL and --analysis before paying for a SparkSession. */
    private Analysis.Bound bind() {
        if (analysis == null) {
            if (sql == null || sql.isBlank()) {
                throw new InvalidInputException("Cannot run query: 'SQL' is missing; expected a SQL statement or "
                        + "--analysis NAME (one of " + String.join(", ", Analyses.NAMES) + ")");
            }
            if (!params.isEmpty()) {
                throw new InvalidInputException("Cannot run query: '--param' is " + params.keySet()
                        + "; expected --param only with --analysis");
            }
            return null;
        }
        if (sql != null) {
            throw new InvalidInputException("Cannot run query: 'SQL' is given together with '--analysis " + analysis
                    + "'; expected one of the two");
        }
        return Analyses.get(analysis).bind(params);
    }

    private static void listAnalyses(PrintWriter console) {
        for (Analysis a : Analyses.all()) {
            console.println(a.name());
            console.println("  " + a.description());
            for (AnalysisParam p : a.params()) {
                console.println("  --param " + p.usage());
            }
        }
        console.flush();
    }
}
