package io.gradsweep.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradsweep.InvalidInputException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Decides with DuckDB's own parser whether a statement only queries: {@code json_serialize_sql} serialises exactly
 * one SELECT statement (WITH, VALUES, FROM-first and DESCRIBE included) and refuses anything else, so a statement
 * this class has never heard of is refused, not passed. File access is not this class's concern: the connection
 * itself can open nothing outside the results (see {@link DuckResults}).
 */
public final class DuckReadOnly {
    static final String EXPECTED = "expected a query (SELECT, WITH, VALUES, FROM or DESCRIBE)";

    /** Leading words of statements that are queries; with one of these, a refusal means more than one statement. */
    private static final List<String> QUERY_WORDS = List.of("SELECT", "WITH", "VALUES", "FROM", "DESCRIBE", "(",
            "TABLE", "SUMMARIZE", "SHOW");

    private static final ObjectMapper JSON = new ObjectMapper();

    private DuckReadOnly() {
    }

    /** @throws InvalidInputException naming the kind of statement refused, or DuckDB's syntax error */
    public static void check(Connection c, String sql) {
        JsonNode answer;
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                answer = JSON.readTree(rs.getString(1));
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("DuckDB could not parse the statement: " + e.getMessage(), e);
        }
        if (!answer.path("error").asBoolean(false)) {
            return;
        }
        String type = answer.path("error_type").asText("");
        if (!type.equals("not implemented")) {
            throw new InvalidInputException("Cannot run query: " + capitalized(type) + " Error: "
                    + answer.path("error_message").asText() + "\nViews: "
                    + String.join(", ", ReadOnlySql.viewNames()) + " (see docs/analysis.md)");
        }
        String statement = statement(sql);
        if (QUERY_WORDS.contains(statement.split(" ")[0])) {
            throw new InvalidInputException("Cannot run query: 'SQL' holds more than one statement; expected one "
                    + "query (SELECT, WITH, VALUES, FROM or DESCRIBE)");
        }
        throw new InvalidInputException("Cannot run query: 'SQL' is " + article(statement) + " " + statement
                + " statement; " + EXPECTED);
    }

    /** The statement's leading keyword, two for CREATE/DROP/ALTER (e.g. "CREATE TABLE"), for the message only. */
    static String statement(String sql) {
        String text = sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").strip()
                .toUpperCase(Locale.ROOT);
        if (text.startsWith("(")) {
            return "(";
        }
        String[] words = text.split("[^A-Z_]+");
        if (words.length == 0 || words[0].isEmpty()) {
            return "unknown";
        }
        boolean two = List.of("CREATE", "DROP", "ALTER").contains(words[0]) && words.length > 1;
        return two ? words[0] + " " + words[1] : words[0];
    }

    private static String article(String word) {
        return "AEIOU".indexOf(word.charAt(0)) >= 0 && !word.startsWith("US") ? "an" : "a";
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? "Parser" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
