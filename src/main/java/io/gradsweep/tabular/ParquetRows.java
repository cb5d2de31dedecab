package io.gradsweep.tabular;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A Parquet part file through parquet-hadoop's example Group API (parquet-avro is not on the classpath). Only flat
 * top-level columns are usable: INT32, INT64, FLOAT, DOUBLE and BOOLEAN for features, and BINARY strings as well
 * for labels. Decimals are refused rather than read as their unscaled integers.
 */
final class ParquetRows implements RowReader {
    private final String display;
    private final MessageType fileSchema;
    private final TableSchema schema;
    private final ParquetReader<Group> reader;
    private Group current;
    private long row;

    ParquetRows(TableFiles.Part part, Configuration conf) throws IOException {
        this.display = part.display();
        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(part.file(), conf))) {
            fileSchema = footer.getFooter().getFileMetaData().getSchema();
        } catch (RuntimeException e) { // parquet-hadoop reports a non-Parquet file this way, naming the full URI
            String reason = String.valueOf(e.getMessage()).replaceFirst("^.*? is not a Parquet file\\.? *", "");
            throw TableException.other(display + " is not a Parquet file"
                    + (reason.startsWith("(") ? " " + reason : " (" + reason + ")"));
        }
        List<TableSchema.Column> columns = new ArrayList<>();
        for (Type t : fileSchema.getFields()) {
            columns.add(column(t));
        }
        this.schema = new TableSchema(columns);
        this.reader = ParquetReader.builder(new GroupReadSupport(), part.file()).withConf(conf).build();
    }

    static TableSchema.Column column(Type t) {
        if (!t.isPrimitive()) {
            return new TableSchema.Column(t.getName(), "a nested group", false, false);
        }
        PrimitiveType p = t.asPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        String type = (t.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "") + p.getPrimitiveTypeName()
                + (a == null ? "" : " (" + a + ")");
        boolean usable = !t.isRepetition(Type.Repetition.REPEATED)
                && !(a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation);
        boolean numeric = usable && switch (p.getPrimitiveTypeName()) {
            case INT32, INT64, FLOAT, DOUBLE, BOOLEAN -> true;
            default -> false;
        };
        return new TableSchema.Column(t.getName(), type, numeric,
                numeric || (usable && p.getPrimitiveTypeName() == PrimitiveTypeName.BINARY));
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public boolean next() throws IOException {
        current = reader.read();
        row++;
        return current != null;
    }

    @Override
    public Object value(int column) {
        if (current.getFieldRepetitionCount(column) == 0) {
            return null;
        }
        PrimitiveType p = fileSchema.getType(column).asPrimitiveType();
        boolean unsigned = p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                && !i.isSigned();
        return switch (p.getPrimitiveTypeName()) {
            case INT32 -> unsigned ? Integer.toUnsignedLong(current.getInteger(column, 0))
                    : (Object) current.getInteger(column, 0);
            case INT64 -> unsigned ? new BigInteger(Long.toUnsignedString(current.getLong(column, 0)))
                    : (Object) current.getLong(column, 0);
            case FLOAT -> current.getFloat(column, 0);
            case DOUBLE -> current.getDouble(column, 0);
            case BOOLEAN -> current.getBoolean(column, 0);
            case BINARY -> current.getBinary(column, 0).toStringUsingUTF8();
            default -> throw new IllegalStateException("column " + p.getName() + " of " + display
                    + " has unsupported type " + p.getPrimitiveTypeName()); // refused by the schema check first
        };
    }

    @Override
    public String where() {
        return "row " + row + " of " + display;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
