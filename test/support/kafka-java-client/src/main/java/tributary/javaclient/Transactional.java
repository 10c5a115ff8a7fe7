package tributary.javaclient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A transactional producer (transactional.id set, so idempotent with acks=all) driven one command a
 * line on stdin, fields separated by TAB, text as it is:
 *
 *   init                                   initTransactions()
 *   begin | commit | abort                 begin/commit/abortTransaction()
 *   send topic key value                   send() and wait for its acknowledgement
 *   offsets group topic partition offset   sendOffsetsToTransaction() for that group
 *
 * Each command prints {"ok": command} (send adds "partition" and "offset"), or, when the client
 * throws, {"error": exception class, "message"} and carries on, so a test can watch a fenced
 * producer fail. The producer closes when stdin ends.
 */
final class Transactional {
    private Transactional() {}

    static void run(String bootstrap, String transactionalId, int timeoutMs) throws Exception {
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.CLIENT_ID_CONFIG, "java-transactional-" + transactionalId,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                String[] fields = line.split("\t", -1);
                try {
                    Json.print(apply(producer, fields));
                } catch (Exception error) {
                    Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.ExecutionException ? error.getCause() : error;
                    Json.print(Json.error(cause));
                }
            }
        }
    }

    private static Map<String, Object> apply(KafkaProducer<String, String> producer, String[] fields) throws Exception {
        switch (fields[0]) {
            case "init" -> producer.initTransactions();
            case "begin" -> producer.beginTransaction();
            case "commit" -> producer.commitTransaction();
            case "abort" -> producer.abortTransaction();
            case "send" -> {
                RecordMetadata metadata = producer.send(new ProducerRecord<>(fields[1], fields[2], fields[3])).get();
                return Json.object("ok", "send", "partition", metadata.partition(), "offset", metadata.offset());
            }
            case "offsets" -> producer.sendOffsetsToTransaction(
                Map.of(new TopicPartition(fields[2], Integer.parseInt(fields[3])), new OffsetAndMetadata(Long.parseLong(fields[4]))),
                new ConsumerGroupMetadata(fields[1]));
            default -> throw new IllegalArgumentException("unknown command " + fields[0]);
        }
        return Json.object("ok", fields[0]);
    }
}
