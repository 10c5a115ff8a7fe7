/*
 * Debezium's embedded engine as bench:postgres's and bench:mysql's peer: runs the connector that a
 * properties file describes (the whole engine config, the caller's) with Debezium's own JSON format
 * (Kafka Connect's JsonConverter; `converter.schemas.enable` is the caller's, the benches set false)
 * and writes every change event to a file sink of its own: one line `<key JSON>\t<value JSON>\n` per
 * event, each batch the engine hands over written with one write and synced to disk (fdatasync)
 * before the engine may commit its offsets, as Tributary's topics sync a batch before acknowledging it.
 *
 * Stdout carries JSON lines for the bench driver: {"event":"started","java":"<version>","maxHeapMB":N}
 * as the engine starts (the JVM's own start-up is over), {"event":"streaming"} once the connector streams,
 * and after each batch is on disk {"event":"batch","records":<events so far>}, with "keys":[<each
 * event's key JSON>] when the property bench.keys=true (the latency phase tells rows apart by them).
 * The engine stops on SIGTERM or when stdin closes.
 *
 * Usage: DebeziumBenchPeer <engine.properties> <sink file>
 */
package tributary.oracle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;

public final class DebeziumBenchPeer {
    private static final String KEYS = "bench.keys";
    private static final byte TAB = '\t';
    private static final byte NEWLINE = '\n';
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    private final FileChannel sink;
    private final boolean printKeys;
    /** The batch being written: the engine hands batches over one at a time. */
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 20);
    private long records;

    private DebeziumBenchPeer(FileChannel sink, boolean printKeys) {
        this.sink = sink;
        this.printKeys = printKeys;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DebeziumBenchPeer <engine.properties> <sink file>");
            System.exit(2);
        }
        Properties props = EngineProcess.load(args[0], "debezium-bench");
        boolean printKeys = Boolean.parseBoolean((String) props.remove(KEYS));
        FileChannel sink = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        DebeziumBenchPeer peer = new DebeziumBenchPeer(sink, printKeys);
        EngineProcess process = new EngineProcess();
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(props)
                .notifying(peer::handleBatch)
                .using(process.completion())
                .build();
        long maxHeapMB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        EngineProcess.event("{\"event\":\"started\",\"java\":\"" + System.getProperty("java.version") + "\",\"maxHeapMB\":" + maxHeapMB + "}");
        boolean failed = process.run(engine);
        sink.close();
        System.exit(failed ? 1 : 0);
    }

    private synchronized void handleBatch(List<ChangeEvent<String, String>> events, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) throws InterruptedException {
        batch.reset();
        StringBuilder keys = printKeys ? new StringBuilder(events.size() * 16) : null;
        for (ChangeEvent<String, String> event : events) {
            writeOrNull(event.key());
            batch.write(TAB);
            writeOrNull(event.value());
            batch.write(NEWLINE);
            if (keys != null) keys.append(keys.length() == 0 ? "" : ",").append(event.key());
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(batch.toByteArray());
            while (bytes.hasRemaining()) sink.write(bytes);
            sink.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sink file", e);
        }
        records += events.size();
        EngineProcess.event("{\"event\":\"batch\",\"records\":" + records + (keys == null ? "" : ",\"keys\":[" + keys + "]") + "}");
        for (ChangeEvent<String, String> event : events) committer.markProcessed(event);
        committer.markBatchFinished();
    }

    private void writeOrNull(String json) {
        batch.writeBytes(json == null ? NULL : json.getBytes(StandardCharsets.UTF_8));
    }
}
