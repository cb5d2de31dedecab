package io.gradsweep.io;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Parquet's view of gradsweep's tables, derived from the single definition in {@link Tables}. Kept out of
 * {@link Table} so that the table list loads without Parquet, which the bare jar lacks: {@code query --help}
 * names the tables.
 */
public final class ParquetSchemas {
    private ParquetSchemas() {
    }

    public static MessageType of(Table<?> table) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column<?> c : table.columns()) {
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
        return b.named(table.name());
    }
}
