/**
 * The server.properties of one node of the real Kafka cluster (test/support/real-kafka.ts): a
 * combined broker and controller in KRaft mode with a static quorum of every node, so formatting
 * needs no KIP-853 flags. Replication defaults are a production cluster's (every topic on three
 * brokers, two in sync to acknowledge), so KafkaLog meets acks=all as it would there; a cluster of
 * fewer nodes gets as many replicas as it has nodes and one fewer in sync (a single node: 1 and 1),
 * for its default and its internal topics alike.
 * Profile `test` cuts thread counts, buffers and internal topic partitions down for a small shared
 * machine, and fences a dead broker after 3 s rather than 9 s, so failover tests wait less. Profile
 * `stock` leaves all of that at Kafka's defaults, as a broker started from the release runs.
 */

export interface RealKafkaNode {
  /** Kafka's node.id: the node's index plus one. */
  readonly nodeId: number
  readonly brokerPort: number
  readonly controllerPort: number
  /** Where this node keeps its log and metadata. */
  readonly dataDir: string
}

export type RealKafkaProfile = 'test' | 'stock'

/** Sized for a test run sharing two cores: the broker's own defaults are far larger. */
const testTuning: Record<string, string | number> = {
  'offsets.topic.num.partitions': 6,
  'transaction.state.log.num.partitions': 6,
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

/** `extra` comes last and wins over everything above it. */
export function serverProperties(
  node: RealKafkaNode,
  nodes: readonly RealKafkaNode[],
  profile: RealKafkaProfile = 'test',
  extra: Readonly<Record<string, string | number>> = {},
): string {
  const replicas = Math.min(3, nodes.length)
  const minInSync = Math.max(1, replicas - 1)
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
    'default.replication.factor': replicas,
    'min.insync.replicas': minInSync,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minInSync,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': minInSync,
    'unclean.leader.election.enable': 'false',
    ...(profile === 'test' && testTuning),
    ...extra,
  }
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('')
}
