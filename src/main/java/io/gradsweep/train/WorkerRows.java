package io.gradsweep.train;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.GradientRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;

/**
 * The rows one data-parallel worker recorded in one iteration, on their way to the driver. DL4J returns them with
 * the worker's parameters in the training result (its listener-routing mechanism), so only rows of attempts that
 * Spark accepted ever reach the output: a retried worker cannot duplicate them.
 *
 * <p>The rows travel as one Java-serialized payload, which keeps this object plain (strings, numbers, a byte array)
 * for whichever serializer Spark is configured with, Kryo included.
 */
public final class WorkerRows implements Persistable {
    static final String TYPE_ID = "gradsweep-rows";
    private String sessionId;
    private String workerId;
    private int worker;
    private long iteration;
    private double loss;
    private long timestamp;
    private byte[] payload;

    /** For deserializers. */
    public WorkerRows() {
    }

    /** {@code iteration} -1 is a worker's start marker; {@code loss} is the iteration's minibatch loss. */
    WorkerRows(String sessionId, String workerId, int worker, long iteration, double loss, List<Object> rows) {
        this.sessionId = sessionId;
        this.workerId = workerId;
        this.worker = worker;
        this.iteration = iteration;
        this.loss = loss;
        this.timestamp = System.currentTimeMillis();
        this.payload = serialize(new ArrayList<>(rows));
    }

    public int worker() {
        return worker;
    }

    public long iteration() {
        return iteration;
    }

    /** The loss of the iteration's minibatch on the worker's replica (NaN in a start marker). */
    public double loss() {
        return loss;
    }

    /** The recorded {@link GradientRow}s and {@link ActivationRow}s, in recording order. */
    @SuppressWarnings("unchecked")
    public List<Object> rows() {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            return (List<Object>) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decode a worker's statistics rows", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Cannot decode a worker's statistics rows", e);
        }
    }

    private static byte[] serialize(ArrayList<Object> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rows);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a worker's statistics rows", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return TYPE_ID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestamp;
    }

    // Persistable's own binary form, for DL4J stats storages: a header then the payload.
    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            encode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    /** Writes to {@code out} without closing it: the caller owns the stream. */
    @Override
    public void encode(OutputStream out) throws IOException {
        DataOutputStream o = new DataOutputStream(out);
        o.writeUTF(sessionId);
        o.writeUTF(workerId);
        o.writeInt(worker);
        o.writeLong(iteration);
        o.writeDouble(loss);
        o.writeLong(timestamp);
        o.writeInt(payload.length);
        o.write(payload);
        o.flush();
    }

    @Override
    public void decode(byte[] bytes) {
        try {
            decode(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        decode(bytes);
    }

    @Override
    public void decode(InputStream in) throws IOException {
        DataInputStream o = new DataInputStream(in);
        sessionId = o.readUTF();
        workerId = o.readUTF();
        worker = o.readInt();
        iteration = o.readLong();
        loss = o.readDouble();
        timestamp = o.readLong();
        payload = new byte[o.readInt()];
        o.readFully(payload);
    }
}
