package io.gradsweep.io;

import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * A table's single schema definition. The Parquet schema is derived here and the Spark schema in the spark package,
 * so the two can never drift apart.
 */
public record Table<T>(String name, List<Column<T>> columns) {
    public Table {
        columns = List.copyOf(columns);
    }

    public MessageType parquetSchema() {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column<T> c : columns) {
            Repetition rep = c.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
            switch (c.type()) {
                case DOUBLE -> b.primitive(PrimitiveTypeName.DOUBLE, rep).named(c.name());
                case INT -> b.primitive(PrimitiveTypeName.INT32, rep).named(c.name());
                case BIGINT -> b.primitive(PrimitiveTypeName.INT64, rep).named(c.name());
                case BOOLEAN -> b.primitive(PrimitiveTypeName.BOOLEAN, rep).named(c.name());
                case STRING -> b.primitive(PrimitiveTypeName.BINARY, rep)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name());
                default -> throw new IllegalStateException(c.type().toString());
            }
        }
        return b.named(name);
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
