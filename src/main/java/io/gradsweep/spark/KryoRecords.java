package io.gradsweep.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets Spark's Kryo (4.x, which predates Java records) ship gradsweep's records: its field serializer cannot set a
 * record's final fields, so every record goes through Java serialization, which records support by design. Listed
 * after ND4J's registrator (where the build has it, see {@link Dl4jSpark}) in {@code spark.kryo.registrator} ({@link #REGISTRATORS}).
 */
public final class KryoRecords implements KryoRegistrator {
    /** The value of {@code spark.kryo.registrator} every gradsweep session uses. */
    public static final String REGISTRATORS = Dl4jSpark.KRYO_REGISTRATORS + KryoRecords.class.getName();

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    }
}
