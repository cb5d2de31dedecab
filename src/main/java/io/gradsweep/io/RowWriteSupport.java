package io.gradsweep.io;

import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/** Writes row objects of a {@link Table} by walking its columns: the schema and the values come from one place. */
final class RowWriteSupport<T> extends WriteSupport<T> {
    private final Table<T> table;
    /** Per column, the last string written and its UTF-8 form: a batch writes one trial's rows after another. */
    private final Object[] lastString;
    private final Binary[] lastBinary;
    private RecordConsumer out;

    RowWriteSupport(Table<T> table) {
        this.table = table;
        this.lastString = new Object[table.columns().size()];
        this.lastBinary = new Binary[table.columns().size()];
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(table.parquetSchema(), new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(T row) {
        List<Column<T>> columns = table.columns();
        out.startMessage();
        for (int i = 0; i < columns.size(); i++) {
            Column<T> c = columns.get(i);
            Object v = c.getter().apply(row);
            if (v == null) {
                if (!c.nullable()) {
                    throw new IllegalArgumentException("column " + table.name() + "." + c.name() + " is required");
                }
                continue;
            }
            out.startField(c.name(), i);
            switch (c.type()) {
                case DOUBLE -> out.addDouble(((Number) v).doubleValue());
                case INT -> out.addInteger(((Number) v).intValue());
                case BIGINT -> out.addLong(((Number) v).longValue());
                case STRING -> out.addBinary(utf8(i, v));
                case BOOLEAN -> out.addBoolean((Boolean) v);
                default -> throw new IllegalStateException(c.type().toString());
            }
            out.endField(c.name(), i);
        }
        out.endMessage();
    }

    private Binary utf8(int column, Object v) {
        if (v != lastString[column]) {
            lastString[column] = v;
            lastBinary[column] = Binary.fromString(v.toString());
        }
        return lastBinary[column];
    }
}
