package io.gradsweep.tabular;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * A CSV part file with a header line: comma separated, double-quoted fields may hold commas, quotes and line
 * breaks, spaces around unquoted fields are dropped and blank lines skipped. Rows are named by their first physical
 * line, so a message points where an editor shows the row.
 */
final class CsvRows implements RowReader {
    private static final CsvFactory CSV = CsvFactory.builder()
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();
    private final String display;
    private final JsonParser parser;
    private final TableSchema schema;
    private final List<String> row = new ArrayList<>();
    private long line;

    CsvRows(TableFiles.Part part, Configuration conf) throws IOException {
        this.display = part.display();
        this.parser = CSV.createParser((InputStream) part.file().getFileSystem(conf).open(part.file()));
        try {
            List<TableSchema.Column> columns = new ArrayList<>();
            if (readRow()) {
                Set<String> seen = new HashSet<>();
                for (String name : row) {
                    if (name.isEmpty()) { // pandas' unnamed index column: row numbers must not become a feature
                        throw TableException.keyed("dataset.path", part.display(), "a header line with a name for "
                                + "every column; column " + (columns.size() + 1) + " has none");
                    }
                    if (!seen.add(name)) {
                        throw TableException.keyed("dataset.path", part.display(), "a header line with distinct "
                                + "column names; '" + name + "' appears twice");
                    }
                    columns.add(new TableSchema.Column(name, "text", true, true));
                }
            }
            this.schema = new TableSchema(columns);
        } catch (RuntimeException | IOException e) {
            parser.close();
            throw e;
        }
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public boolean next() throws IOException {
        if (!readRow()) {
            return false;
        }
        if (row.size() != schema.columns().size()) {
            throw TableException.other(where() + " has " + row.size() + " fields; expected "
                    + schema.columns().size() + ", as in the header line");
        }
        return true;
    }

    private boolean readRow() throws IOException {
        row.clear();
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return false;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new IOException("unexpected CSV token " + t);
            }
            while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                if (row.isEmpty()) {
                    line = parser.currentTokenLocation().getLineNr();
                }
                row.add(parser.getText());
            }
            return true;
        } catch (JsonProcessingException e) { // e.g. an unclosed quote; Jackson's text says what and where
            throw TableException.other(display + " is not valid CSV: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
    }

    @Override
    public Object value(int column) {
        return row.get(column);
    }

    @Override
    public String where() {
        return "line " + line + " of " + display;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
