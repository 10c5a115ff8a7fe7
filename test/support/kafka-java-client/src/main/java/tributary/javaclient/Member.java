package tributary.javaclient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One member of a consumer group subscribed to one topic, with group.protocol `classic` (and the
 * CooperativeStickyAssignor) or `consumer` (KIP-848). Offsets are committed by hand after every poll
 * that returned records, and for the partitions being revoked in the rebalance callback, so a record
 * is printed by exactly one member. Prints JSON lines, each with an "event":
 *   {"event":"assigned"|"revoked"|"lost","partitions":[...]}   the rebalance callbacks, as they run
 *   {"event":"record",...}                                      each record (JavaClient.describe)
 *   {"event":"committed","offsets":{"partition":nextOffset}}   each successful commit
 *   {"event":"closed"}                                          after close() left the group
 * A line "stop" on stdin (or its end) closes the member. An instance id makes it a static member
 * (group.instance.id), which keeps its partitions across a restart within the session timeout.
 */
final class Member implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Processed and not yet committed: the next offset to read, per partition. */
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private volatile boolean stopping;

    private Member(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    static void run(String bootstrap, String group, String topic, String protocol, String instanceId) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.CLIENT_ID_CONFIG, "java-member",
            ConsumerConfig.GROUP_ID_CONFIG, group,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        // The consumer protocol assigns on the broker and refuses a client-side assignor.
        if (instanceId != null) config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        if (protocol.equals("classic")) config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            Member member = new Member(consumer);
            member.watchStdin();
            consumer.subscribe(List.of(topic), member);
            member.consume();
        }
        Json.print(Json.object("event", "closed"));
    }

    private void watchStdin() {
        Thread watcher = new Thread(() -> {
            try {
                BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = input.readLine(); line != null && !line.equals("stop"); line = input.readLine()) {
                    // Nothing else is understood; the line is ignored.
                }
            } catch (Exception ignored) {
                // stdin closed: stop as for "stop".
            }
            stopping = true;
            consumer.wakeup();
        });
        watcher.setDaemon(true);
        watcher.start();
    }

    private void consume() {
        while (!stopping) {
            try {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Map<String, Object> line = Json.object("event", "record");
                    line.putAll(JavaClient.describe(record));
                    Json.print(line);
                    pending.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                commit(pending.keySet());
            } catch (WakeupException woken) {
                // stopping: the loop ends
            } catch (RebalanceInProgressException rebalancing) {
                // the commit waits for the next poll, or for the revocation callback
            }
        }
        commit(pending.keySet());
    }

    /** Commits what was processed on `partitions` and prints it; nothing when there is nothing. */
    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) if (pending.containsKey(partition)) offsets.put(partition, pending.get(partition));
        if (offsets.isEmpty()) return;
        consumer.commitSync(offsets);
        offsets.keySet().forEach(pending::remove);
        Map<String, Object> committed = new TreeMap<>();
        offsets.forEach((partition, offset) -> committed.put(String.valueOf(partition.partition()), offset.offset()));
        Json.print(Json.object("event", "committed", "offsets", committed));
    }

    private static Map<String, Object> partitions(String event, Collection<TopicPartition> partitions) {
        return Json.object("event", event, "partitions", partitions.stream().map(TopicPartition::partition).sorted().toList());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        commit(partitions);
        Json.print(partitions("revoked", partitions));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Json.print(partitions("assigned", partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(pending::remove);
        Json.print(partitions("lost", partitions));
    }
}
