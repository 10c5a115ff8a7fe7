/*
 * Debezium's embedded engine as a test oracle: runs the connector that a properties file describes
 * (connector.class, database.*, topic.prefix, offset and schema history storage, snapshot.mode — all the
 * caller's) and writes every change event as one line of the output file,
 *   {"topic":"<topic>","key":<key bytes>,"value":<value bytes>}
 * where the key and value bytes are verbatim what Kafka Connect's JsonConverter (schemas.enable=true)
 * writes for them, and null for a null key or a tombstone. A conformance test compares Tributary's
 * events with these field by field, and byte for byte where it wants to.
 *
 * Properties named oracle.json.<setting> go to both JsonConverters (e.g. oracle.json.decimal.format).
 * Stdout carries {"event":"streaming"} once the connector streams (snapshot over); logs go to stderr.
 * The engine stops on SIGTERM or when stdin closes.
 *
 * Usage: DebeziumOracle <engine.properties> <out.jsonl>
 *        DebeziumOracle convert       (JsonConverter round trips, see ConverterOracle)
 */
package tributary.oracle;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

public final class DebeziumOracle {
    private static final String JSON_PREFIX = "oracle.json.";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("convert")) {
            ConverterOracle.run(System.in, System.out);
            return;
        }
        if (args.length != 2) {
            System.err.println("usage: DebeziumOracle <engine.properties> <out.jsonl> | DebeziumOracle convert");
            System.exit(2);
        }
        Properties props = EngineProcess.load(args[0], "debezium-oracle");
        Map<String, Object> json = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(JSON_PREFIX)) json.put(name.substring(JSON_PREFIX.length()), props.remove(name));
        }
        json.put("schemas.enable", "true");
        JsonConverter keys = new JsonConverter();
        keys.configure(json, true);
        JsonConverter values = new JsonConverter();
        values.configure(json, false);

        FileOutputStream out = new FileOutputStream(args[1], true);
        EngineProcess process = new EngineProcess();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .notifying((records, committer) -> {
                    for (RecordChangeEvent<SourceRecord> event : records) {
                        try {
                            out.write(line(event.record(), keys, values)); // one write per line: readers never see half of one
                        } catch (IOException e) {
                            throw new IllegalStateException("cannot write " + args[1], e);
                        }
                        committer.markProcessed(event);
                    }
                    committer.markBatchFinished();
                })
                .using(process.completion())
                .build();
        boolean failed = process.run(engine);
        out.close();
        System.exit(failed ? 1 : 0);
    }

    /** One output line: JsonConverter's bytes for key and value, embedded verbatim. */
    static byte[] line(SourceRecord record, JsonConverter keys, JsonConverter values) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write("{\"topic\":".getBytes(StandardCharsets.UTF_8));
        line.write(MAPPER.writeValueAsBytes(record.topic()));
        line.write(",\"key\":".getBytes(StandardCharsets.UTF_8));
        writeOrNull(line, keys.fromConnectData(record.topic(), record.keySchema(), record.key()));
        line.write(",\"value\":".getBytes(StandardCharsets.UTF_8));
        writeOrNull(line, values.fromConnectData(record.topic(), record.valueSchema(), record.value()));
        line.write("}\n".getBytes(StandardCharsets.UTF_8));
        return line.toByteArray();
    }

    private static void writeOrNull(ByteArrayOutputStream line, byte[] bytes) throws IOException {
        line.write(bytes == null ? "null".getBytes(StandardCharsets.UTF_8) : bytes);
    }
}
