package io.gradsweep.io;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/** Writes row objects of a {@link Table} by walking its columns: the schema and the values come from one place. */
final class RowWriteSupport<T> extends WriteSupport<T> {
    private final Table<T> table;
    /**
     * UTF-8 forms of the strings written, by identity: a batch's rows repeat a few id and name instances (a vector
     * group interleaves its trials' rows), and encoding each again cost more than the lookup. Cleared when large,
     * so a column of distinct strings costs a lookup and nothing more.
     */
    private final Map<Object, Binary> utf8 = new IdentityHashMap<>();
    private RecordConsumer out;

    RowWriteSupport(Table<T> table) {
        this.table = table;
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
                case STRING -> out.addBinary(utf8(v));
                case BOOLEAN -> out.addBoolean((Boolean) v);
                default -> throw new IllegalStateException(c.type().toString());
            }
            out.endField(c.name(), i);
        }
        out.endMessage();
    }

    private Binary utf8(Object v) {
        Binary b = utf8.get(v);
        if (b == null) {
            if (utf8.size() >= 4096) {
                utf8.clear();
            }
            b = Binary.fromString(v.toString());
            utf8.put(v, b);
        }
        return b;
    }
}
