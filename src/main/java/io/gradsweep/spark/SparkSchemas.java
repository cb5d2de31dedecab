package io.gradsweep.spark;

import io.gradsweep.io.Column;
import io.gradsweep.io.Table;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark's view of gradsweep's tables, derived from the single definition in {@link io.gradsweep.io.Tables}. */
public final class SparkSchemas {
    private SparkSchemas() {
    }

    public static StructType of(Table<?> table) {
        StructField[] fields = table.columns().stream()
                .map(c -> DataTypes.createStructField(c.name(), type(c.type()), c.nullable()))
                .toArray(StructField[]::new);
        return DataTypes.createStructType(fields);
    }

    static DataType type(Column.Type t) {
        return switch (t) {
            case DOUBLE -> DataTypes.DoubleType;
            case INT -> DataTypes.IntegerType;
            case BIGINT -> DataTypes.LongType;
            case STRING -> DataTypes.StringType;
            case BOOLEAN -> DataTypes.BooleanType;
        };
    }
}
