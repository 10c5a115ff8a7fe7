package tributary.oracle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads `count` records of a topic from a Kafka listener with Apicurio's AvroKafkaDeserializer for keys
 * and values, in Confluent's wire format (magic byte, 4-byte id, Avro binary), the schema of each id
 * fetched from the registry at `registryUrl` (Apicurio's v2 API). Prints each record as one JSON line,
 * {"topic","partition","offset","key","value"}, its Avro data as JSON exactly: longs and decimals with
 * all their digits, bytes in base64, unions as the branch's value. Exits 0 after `count` records, 1 on
 * any failure or when `timeoutMs` passes first.
 *
 * Usage: ApicurioConsumer bootstrap registryUrl topic count timeoutMs [token]
 */
public final class ApicurioConsumer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ApicurioConsumer bootstrap registryUrl topic count timeoutMs [token]");
            System.exit(2);
        }
        String topic = args[2];
        int count = Integer.parseInt(args[3]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[4]);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "apicurio-consumer-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        config.put("apicurio.registry.url", args[1] + "/apis/registry/v2");
        config.put("apicurio.registry.as-confluent", "true");
        config.put("apicurio.registry.use-id", "globalId");
        config.put("apicurio.registry.headers.enabled", "false");
        if (args.length > 5) {
            config.put("apicurio.auth.username", "apicurio");
            config.put("apicurio.auth.password", args[5]);
        }
        int seen = 0;
        try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (seen < count) {
                if (System.currentTimeMillis() > deadline) {
                    System.err.println("timed out with " + seen + " of " + count + " records");
                    System.exit(1);
                }
                for (ConsumerRecord<Object, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    ObjectNode line = NODES.objectNode();
                    line.put("topic", record.topic());
                    line.put("partition", record.partition());
                    line.put("offset", record.offset());
                    line.set("key", json(record.key(), null));
                    line.set("value", json(record.value(), null));
                    System.out.println(JSON.writeValueAsString(line));
                    System.out.flush();
                    if (++seen == count) break;
                }
            }
        }
        System.exit(0);
    }

    /** Avro data as JSON; `schema` is the writer's schema where the datum's own does not say (null: infer). */
    private static JsonNode json(Object datum, Schema schema) {
        if (datum == null) return NODES.nullNode();
        if (schema != null && schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().get(GenericData.get().resolveUnion(schema, datum));
        }
        LogicalType logical = schema == null ? null : schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            if (datum instanceof ByteBuffer bytes) return NODES.numberNode(DECIMALS.fromBytes(bytes.duplicate(), schema, logical));
            if (datum instanceof GenericFixed fixed) return NODES.numberNode(DECIMALS.fromFixed(fixed, schema, logical));
        }
        if (datum instanceof GenericRecord record) {
            ObjectNode object = NODES.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) object.set(field.name(), json(record.get(field.pos()), field.schema()));
            return object;
        }
        if (datum instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            Schema values = schema == null ? null : schema.getValueType();
            for (Map.Entry<?, ?> entry : map.entrySet()) object.set(entry.getKey().toString(), json(entry.getValue(), values));
            return object;
        }
        if (datum instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            Schema items = schema == null ? null : schema.getElementType();
            for (Object item : list) array.add(json(item, items));
            return array;
        }
        if (datum instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] raw = new byte[copy.remaining()];
            copy.get(raw);
            return NODES.textNode(Base64.getEncoder().encodeToString(raw));
        }
        if (datum instanceof GenericFixed fixed) return NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
        if (datum instanceof Integer value) return NODES.numberNode(value);
        if (datum instanceof Long value) return NODES.numberNode(value);
        if (datum instanceof Float value) return NODES.numberNode(value);
        if (datum instanceof Double value) return NODES.numberNode(value);
        if (datum instanceof Boolean value) return NODES.booleanNode(value);
        return NODES.textNode(datum.toString()); // strings (Utf8), enum symbols
    }
}
