package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedHaving;
import org.apache.spark.sql.catalyst.analysis.UnresolvedInlineTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedSubqueryColumnAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTVFAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.SqlBaseLexer;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.Except;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.GlobalLimit;
import org.apache.spark.sql.catalyst.plans.logical.Intersect;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LateralJoin;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LocalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Offset;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Pivot;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionByExpression;
import org.apache.spark.sql.catalyst.plans.logical.Sample;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Tail;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.Unpivot;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedHint;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.catalyst.plans.logical.WithWindowDefinition;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import scala.collection.JavaConverters;

/**
 * Decides from Spark's parsed plan whether a statement only reads the result views. An allow-list of query
 * operators rather than a deny-list of commands: Spark adds statements with each release (and some, such as
 * {@code SELECT TRANSFORM}, run programs from inside a query), and a statement this class has never heard of must be
 * refused, not passed. Relations must be single names, i.e. views or CTEs: a qualified name is a database table or,
 * as in {@code text.`/etc/passwd`}, a file read by a data source.
 */
public final class ReadOnlySql {
    static final String EXPECTED = "expected a query (SELECT, WITH, VALUES, TABLE, DESCRIBE or EXPLAIN)";

    /**
     * The operators a parsed query is made of; anything else (a Command, an INSERT, a TRANSFORM) is refused.
     * LocalRelation is Spark 4's parse of a VALUES list of literals (Spark 3.5 keeps an UnresolvedInlineTable).
     */
    private static final Set<Class<?>> QUERY_STEPS = Set.of(Project.class, Filter.class, Aggregate.class,
            UnresolvedHaving.class, Join.class, LateralJoin.class, Sort.class, GlobalLimit.class, LocalLimit.class,
            Offset.class, Tail.class, Distinct.class, Union.class, Intersect.class, Except.class, SubqueryAlias.class,
            Window.class, WithWindowDefinition.class, UnresolvedWith.class, Generate.class, Pivot.class,
            Unpivot.class, Sample.class, RepartitionByExpression.class, UnresolvedHint.class, OneRowRelation.class,
            UnresolvedRelation.class, UnresolvedInlineTable.class, UnresolvedTableValuedFunction.class,
            UnresolvedSubqueryColumnAliases.class, UnresolvedTVFAliases.class, LocalRelation.class);

    /** Built-ins that call arbitrary static Java methods, e.g. {@code reflect('java.lang.System', 'exit', 1)}. */
    private static final Set<String> JAVA_CALLS = Set.of("reflect", "java_method", "try_reflect");

    private ReadOnlySql() {
    }

    /** @throws InvalidInputException unless {@code plan}, parsed from {@code sql}, only reads views */
    public static void check(LogicalPlan plan, String sql) {
        if (plan instanceof ExplainCommand e) {
            query(e.logicalPlan());
        } else if (plan instanceof DescribeQueryCommand d) {
            query(d.plan());
        } else if (plan instanceof DescribeRelation d && d.relation() instanceof UnresolvedTableOrView v
                && DescribePlans.wholeRelation(d)) {
            view(v.multipartIdentifier());
        } else if (QUERY_STEPS.contains(plan.getClass())) {
            query(plan);
        } else {
            String kind = statement(sql);
            throw new InvalidInputException("Cannot run query: 'SQL' is " + article(kind) + " " + kind
                    + " statement; " + EXPECTED);
        }
    }

    /** Walks the operators, the CTE definitions and the subqueries inside expressions. */
    private static void query(LogicalPlan plan) {
        if (!QUERY_STEPS.contains(plan.getClass())) {
            throw new InvalidInputException("Cannot run query: 'SQL' contains " + article(plan.nodeName()) + " "
                    + plan.nodeName() + " step; expected only the steps of a query (SELECT, WITH, VALUES, TABLE)");
        }
        if (plan instanceof UnresolvedRelation r) {
            view(r.multipartIdentifier());
        }
        for (Expression e : list(plan.expressions())) {
            expression(e);
        }
        for (TreeNode<?> inner : list(plan.innerChildren())) {
            if (inner instanceof LogicalPlan p) {
                query(p);
            }
        }
        for (LogicalPlan child : list(plan.children())) {
            query(child);
        }
    }

    private static void expression(Expression e) {
        if (e instanceof SubqueryExpression s) {
            query(s.plan());
        } else if (e instanceof UnresolvedFunction f) {
            List<String> name = list(f.nameParts());
            String last = name.get(name.size() - 1).toLowerCase(Locale.ROOT);
            if (name.size() > 1 || JAVA_CALLS.contains(last)) {
                throw new InvalidInputException("Cannot run query: function '" + String.join(".", name)
                        + "' is not a built-in that computes on values; expected none of " + String.join(", ",
                        JAVA_CALLS.stream().sorted().toList()) + ", nor a qualified function name");
            }
        } else if (e instanceof ExpressionWithUnresolvedIdentifier) {
            // IDENTIFIER('...') names a function only at analysis, past the reach of the check above.
            throw new InvalidInputException("Cannot run query: 'SQL' names a function with IDENTIFIER(...); "
                    + "expected the function's name itself");
        }
        for (Expression child : list(e.children())) {
            expression(child);
        }
    }

    private static void view(scala.collection.Seq<String> parts) {
        if (parts.size() != 1) {
            // Quoted as the user would write it: text.`/etc/passwd`.
            String shown = String.join(".", list(parts).stream()
                    .map(p -> p.matches("[A-Za-z0-9_]+") ? p : "`" + p.replace("`", "``") + "`").toList());
            throw new InvalidInputException("Cannot run query: '" + shown + "' is a qualified name (a file read "
                    + "directly, or a table outside the results); expected a view, one of "
                    + String.join(", ", viewNames()));
        }
    }

    /** The result views' names, sorted, for messages. */
    public static List<String> viewNames() {
        return Tables.ALL.stream().map(Table::name).sorted().toList();
    }

    /**
     * Names a refused statement by its leading keywords as Spark's own lexer reads them, e.g. "INSERT OVERWRITE
     * DIRECTORY": the user's words are clearer than a plan class. Only the message depends on this, not the decision.
     */
    static String statement(String sql) {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql.toUpperCase(Locale.ROOT)));
        lexer.removeErrorListeners();
        List<String> words = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                continue; // whitespace and comments
            }
            String symbol = SqlBaseLexer.VOCABULARY.getSymbolicName(t.getType());
            if (symbol == null || symbol.endsWith("IDENTIFIER") || !t.getText().matches("[A-Z_]+")) {
                break;
            }
            words.add(t.getText());
        }
        return words.isEmpty() ? "unknown" : String.join(" ", words);
    }

    /** "an INSERT", "an UPDATE", "a USE": by sound, near enough for Spark's keywords and plan names. */
    private static String article(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        return "AEIOU".indexOf(w.charAt(0)) >= 0 && !w.startsWith("US") ? "an" : "a";
    }

    private static <T> List<T> list(scala.collection.Seq<T> seq) {
        return JavaConverters.seqAsJavaList(seq);
    }
}
