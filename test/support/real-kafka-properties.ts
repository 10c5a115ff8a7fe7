/**
 * The server.properties of one node of the real Kafka cluster (test/support/real-kafka.ts): a
 * combined broker and controller in KRaft mode with a static quorum of every node, so formatting
 * needs no KIP-853 flags. Replication defaults are a production cluster's (every topic on three
 * brokers, two in sync to acknowledge), so KafkaLog meets acks=all as it would there. Thread
 * counts, buffers and internal topic partitions are cut down for a small shared machine, and a
 * dead broker is fenced after 3 s rather than 9 s, so failover tests wait less.
 */

export interface RealKafkaNode {
  /** Kafka's node.id: the node's index plus one. */
  readonly nodeId: number
  readonly brokerPort: number
  readonly controllerPort: number
  /** Where this node keeps its log and metadata. */
  readonly dataDir: string
}

export function serverProperties(node: RealKafkaNode, nodes: readonly RealKafkaNode[]): string {
  const properties: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.voters': nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': node.dataDir,
    'default.replication.factor': 3,
    'min.insync.replicas': 2,
    'offsets.topic.replication.factor': 3,
    'offsets.topic.num.partitions': 6,
    'transaction.state.log.replication.factor': 3,
    'transaction.state.log.min.isr': 2,
    'transaction.state.log.num.partitions': 6,
    'unclean.leader.election.enable': 'false',
    'group.initial.rebalance.delay.ms': 0,
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 3_000,
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
    'num.replica.fetchers': 1,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
  }
  return Object.entries(properties).map(([key, value]) => `${key}=${value}\n`).join('')
}
