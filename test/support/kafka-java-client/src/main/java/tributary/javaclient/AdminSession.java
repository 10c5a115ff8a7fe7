package tributary.javaclient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;

/**
 * An Admin client session: stdin holds one operation a line, "operation TAB argument...", and each is
 * answered with exactly one JSON line, {"ok": result} or {"error": exception class, "message"} (the
 * cause of the client's ExecutionException). Operations where each item succeeds or fails on its own
 * (deleteGroups, alterGroupOffsets, deleteGroupOffsets) answer {"ok": {item: "ok" | error}}.
 *
 *   createTopic name partitions [config=value...]   describeTopics name...   describeTopicsById id...
 *   listTopics   deleteTopics name...   deleteTopicsById id...   describeCluster   describeConfigs topic|broker name
 *   listOffsets topic earliest|latest|max|<timestamp>   createPartitions topic totalCount
 *   listGroups   listConsumerGroups   describeGroups id...   deleteGroups id...   listGroupOffsets group
 *   alterGroupOffsets group topic partition=offset...   deleteGroupOffsets group topic partition...
 *   describeTransactions transactionalId...   listTransactions
 */
final class AdminSession {
    private final Admin admin;

    private AdminSession(Admin admin) {
        this.admin = admin;
    }

    static void run(String bootstrap) throws Exception {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, AdminClientConfig.CLIENT_ID_CONFIG, "java-admin");
        try (Admin admin = Admin.create(config)) {
            AdminSession session = new AdminSession(admin);
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                String[] words = line.split("\t");
                try {
                    Json.print(Json.object("ok", session.perform(words[0], Arrays.copyOfRange(words, 1, words.length))));
                } catch (ExecutionException failed) {
                    Json.print(Json.error(failed.getCause()));
                } catch (Exception failed) {
                    Json.print(Json.error(failed));
                }
            }
        }
    }

    private Object perform(String operation, String[] args) throws Exception {
        return switch (operation) {
            case "createTopic" -> createTopic(args);
            case "describeTopics" -> topics(admin.describeTopics(TopicCollection.ofTopicNames(List.of(args))).allTopicNames().get().values());
            case "describeTopicsById" -> topics(admin.describeTopics(TopicCollection.ofTopicIds(Arrays.stream(args).map(Uuid::fromString).toList())).allTopicIds().get().values());
            case "listTopics" -> admin.listTopics().listings().get().stream().map(TopicListing::name).sorted().toList();
            case "deleteTopics" -> each(admin.deleteTopics(TopicCollection.ofTopicNames(List.of(args))).topicNameValues());
            case "deleteTopicsById" -> each(admin.deleteTopics(TopicCollection.ofTopicIds(Arrays.stream(args).map(Uuid::fromString).toList())).topicIdValues()
                .entrySet().stream().collect(Collectors.toMap((entry) -> entry.getKey().toString(), Map.Entry::getValue)));
            case "describeCluster" -> Json.object("clusterId", admin.describeCluster().clusterId().get(),
                "controller", admin.describeCluster().controller().get().id(),
                "nodes", admin.describeCluster().nodes().get().stream().map(AdminSession::node).toList());
            case "describeConfigs" -> describeConfigs(args[0], args[1]);
            case "listOffsets" -> listOffsets(args[0], args[1]);
            case "createPartitions" -> admin.createPartitions(Map.of(args[0], NewPartitions.increaseTo(Integer.parseInt(args[1])))).all().get() == null;
            case "listGroups" -> admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream().map(AdminSession::groupListing).toList();
            case "listConsumerGroups" -> listConsumerGroups();
            case "describeGroups" -> admin.describeConsumerGroups(List.of(args)).all().get().values().stream().map(AdminSession::group).toList();
            case "deleteGroups" -> each(admin.deleteConsumerGroups(List.of(args)).deletedGroups());
            case "listGroupOffsets" -> groupOffsets(admin.listConsumerGroupOffsets(args[0]).partitionsToOffsetAndMetadata().get());
            case "alterGroupOffsets" -> alterGroupOffsets(args);
            case "deleteGroupOffsets" -> deleteGroupOffsets(args);
            case "describeTransactions" -> describeTransactions(args);
            case "listTransactions" -> admin.listTransactions().all().get().stream()
                .map((t) -> Json.object("transactionalId", t.transactionalId(), "producerId", t.producerId(), "state", t.state().toString()))
                .sorted(java.util.Comparator.comparing((Map<String, Object> t) -> (String) t.get("transactionalId"))).toList();
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
    }

    private Object createTopic(String[] args) throws Exception {
        Map<String, String> configs = new HashMap<>();
        for (int i = 2; i < args.length; i++) configs.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic(args[0], Integer.parseInt(args[1]), (short) 1).configs(configs)));
        return Json.object("topicId", result.topicId(args[0]).get().toString(), "partitions", result.numPartitions(args[0]).get(),
            "replicationFactor", result.replicationFactor(args[0]).get());
    }

    private static List<Object> topics(Collection<TopicDescription> descriptions) {
        return descriptions.stream().map((topic) -> (Object) Json.object("name", topic.name(), "topicId", topic.topicId().toString(), "internal", topic.isInternal(),
            "partitions", topic.partitions().stream().map(AdminSession::partition).toList())).toList();
    }

    private static Map<String, Object> partition(TopicPartitionInfo info) {
        return Json.object("partition", info.partition(), "leader", info.leader() == null ? null : info.leader().id(),
            "replicas", info.replicas().stream().map(Node::id).toList(), "isr", info.isr().stream().map(Node::id).toList());
    }

    private static Map<String, Object> node(Node node) {
        return Json.object("id", node.id(), "host", node.host(), "port", node.port());
    }

    private Object describeConfigs(String type, String name) throws Exception {
        ConfigResource resource = new ConfigResource(type.equals("broker") ? ConfigResource.Type.BROKER : ConfigResource.Type.TOPIC, name);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        Map<String, Object> entries = new TreeMap<>();
        config.entries().forEach((entry) -> entries.put(entry.name(), Json.object("value", entry.value(), "source", entry.source().name(),
            "readOnly", entry.isReadOnly(), "sensitive", entry.isSensitive())));
        return entries;
    }

    private Object listOffsets(String topic, String spec) throws Exception {
        OffsetSpec offsetSpec = switch (spec) {
            case "earliest" -> OffsetSpec.earliest();
            case "latest" -> OffsetSpec.latest();
            case "max" -> OffsetSpec.maxTimestamp();
            default -> OffsetSpec.forTimestamp(Long.parseLong(spec));
        };
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) request.put(new TopicPartition(topic, p), offsetSpec);
        Map<TopicPartition, ListOffsetsResultInfo> answers = admin.listOffsets(request).all().get();
        List<Object> result = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ListOffsetsResultInfo info = answers.get(new TopicPartition(topic, p));
            result.add(Json.object("partition", p, "offset", info.offset(), "timestamp", info.timestamp(), "leaderEpoch", info.leaderEpoch().orElse(null)));
        }
        return result;
    }

    private static Map<String, Object> groupListing(GroupListing group) {
        return Json.object("groupId", group.groupId(), "state", group.groupState().map(Object::toString).orElse(null),
            "type", group.type().map(Object::toString).orElse(null), "protocol", group.protocol());
    }

    /** The consumer-group listing of Admin.listConsumerGroups, deprecated since Kafka 4.1 but still widely called. */
    @SuppressWarnings("deprecation")
    private Object listConsumerGroups() throws Exception {
        return admin.listConsumerGroups().all().get().stream().map((group) -> (Object) Json.object("groupId", group.groupId(),
            "state", group.groupState().map(Object::toString).orElse(null), "type", group.type().map(Object::toString).orElse(null),
            "simple", group.isSimpleConsumerGroup())).toList();
    }

    private static Map<String, Object> group(ConsumerGroupDescription group) {
        return Json.object("groupId", group.groupId(), "state", group.groupState().toString(), "type", group.type().toString(),
            "assignor", group.partitionAssignor(), "coordinator", group.coordinator().id(), "simple", group.isSimpleConsumerGroup(),
            "members", group.members().stream().map(AdminSession::member).toList());
    }

    private static Map<String, Object> member(MemberDescription member) {
        List<String> partitions = member.assignment().topicPartitions().stream().map(TopicPartition::toString).sorted().toList();
        return Json.object("memberId", member.consumerId(), "clientId", member.clientId(), "host", member.host(), "partitions", partitions);
    }

    private static Map<String, Object> groupOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<String, Object> result = new TreeMap<>();
        offsets.forEach((partition, offset) -> result.put(partition.toString(), offset == null ? null
            : Json.object("offset", offset.offset(), "metadata", offset.metadata(), "leaderEpoch", offset.leaderEpoch().orElse(null))));
        return result;
    }

    private Object alterGroupOffsets(String[] args) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=");
            offsets.put(new TopicPartition(args[1], Integer.parseInt(pair[0])), new OffsetAndMetadata(Long.parseLong(pair[1])));
        }
        var result = admin.alterConsumerGroupOffsets(args[0], offsets);
        return each(offsets.keySet().stream().collect(Collectors.toMap(TopicPartition::toString, result::partitionResult)));
    }

    private Object deleteGroupOffsets(String[] args) throws Exception {
        List<TopicPartition> partitions = Arrays.stream(args, 2, args.length).map((p) -> new TopicPartition(args[1], Integer.parseInt(p))).toList();
        var result = admin.deleteConsumerGroupOffsets(args[0], new HashSet<>(partitions));
        return each(partitions.stream().collect(Collectors.toMap(TopicPartition::toString, result::partitionResult)));
    }

    /** Waits for each item's own future: "ok", or the error it failed with. */
    private static Map<String, Object> each(Map<String, ? extends KafkaFuture<Void>> futures) throws InterruptedException {
        Map<String, Object> result = new TreeMap<>();
        for (Map.Entry<String, ? extends KafkaFuture<Void>> entry : futures.entrySet()) {
            try {
                entry.getValue().get();
                result.put(entry.getKey(), "ok");
            } catch (ExecutionException failed) {
                result.put(entry.getKey(), Json.error(failed.getCause()));
            }
        }
        return result;
    }

    private Object describeTransactions(String[] ids) throws Exception {
        Map<String, Object> described = new java.util.TreeMap<>();
        admin.describeTransactions(List.of(ids)).all().get().forEach((id, t) -> described.put(id, Json.object(
            "state", t.state().toString(), "producerId", t.producerId(), "producerEpoch", t.producerEpoch(),
            "timeoutMs", t.transactionTimeoutMs(), "partitions", t.topicPartitions().stream().map(Object::toString).sorted().toList())));
        return described;
    }
}
