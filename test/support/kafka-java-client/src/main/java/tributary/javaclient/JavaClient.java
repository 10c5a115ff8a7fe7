package tributary.javaclient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Apache Kafka's Java client driven from the command line, one subcommand per role, each printing
 * JSON lines on stdout (the client's own log goes to stderr):
 *
 *   produce bootstrap topic compression   idempotent producer, acks=all; stdin holds one record a line,
 *                                         "key TAB value [TAB headerKey TAB headerValue]...", each field
 *                                         base64 ("-" for null); prints {"partition","offset"} per record,
 *                                         in input order, once all are acknowledged
 *   consume bootstrap topic count timeoutMs [isolation]  reads every partition from its start without a
 *                                         group (isolation.level read_uncommitted unless given) and
 *                                         prints the first `count` records: {"partition","offset",
 *                                         "timestamp","key","value","headers":[[key,value]...]}
 *   transactional bootstrap transactionalId timeoutMs  a transactional producer (Transactional.java)
 *   member bootstrap group topic protocol [instanceId]  a consumer-group member (Member.java)
 *   admin bootstrap                       an Admin client session (AdminSession.java)
 *
 * Any failure prints {"error": exception class, "message"} and exits 1.
 */
public final class JavaClient {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: JavaClient produce|consume|member|admin|transactional bootstrap ...");
            System.exit(2);
        }
        try {
            switch (args[0]) {
                case "produce" -> produce(args[1], args[2], args[3]);
                case "consume" -> consume(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]), args.length > 5 ? args[5] : "read_uncommitted");
                case "transactional" -> Transactional.run(args[1], args[2], Integer.parseInt(args[3]));
                case "member" -> Member.run(args[1], args[2], args[3], args[4], args.length > 5 ? args[5] : null);
                case "admin" -> AdminSession.run(args[1]);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (Exception error) {
            Json.print(Json.error(error));
            System.exit(1);
        }
        System.exit(0);
    }

    private static void produce(String bootstrap, String topic, String compression) throws Exception {
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.CLIENT_ID_CONFIG, "java-producer",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
            ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                String[] fields = line.split("\t", -1);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, Json.fromBase64(fields[0]), Json.fromBase64(fields[1]));
                for (int i = 2; i + 1 < fields.length; i += 2) record.headers().add(new String(Json.fromBase64(fields[i]), StandardCharsets.UTF_8), Json.fromBase64(fields[i + 1]));
                sent.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get();
                Json.print(Json.object("partition", metadata.partition(), "offset", metadata.offset()));
            }
        }
    }

    private static void consume(String bootstrap, String topic, int count, long timeoutMs, String isolation) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
            ConsumerConfig.CLIENT_ID_CONFIG, "java-reader",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map((info) -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int seen = 0;
            while (seen < count) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out with " + seen + " of " + count + " records");
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Json.print(describe(record));
                    if (++seen == count) break;
                }
            }
        }
    }

    /** A record as the JSON line `consume` and `member` print. */
    static Map<String, Object> describe(ConsumerRecord<byte[], byte[]> record) {
        List<Object> headers = new ArrayList<>();
        for (Header header : record.headers()) headers.add(Json.list(header.key(), Json.base64(header.value())));
        return Json.object("partition", record.partition(), "offset", record.offset(), "timestamp", record.timestamp(),
            "key", Json.base64(record.key()), "value", Json.base64(record.value()), "headers", headers);
    }
}
