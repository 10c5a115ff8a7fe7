/**
 * The one broker the listener plays: node 0 of a one-node cluster, leader of every partition of the
 * embedded log. Handlers reach the log, the group and transaction coordinators and the producer
 * table through it.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Logger } from '../../logger.ts'
import type { EmbeddedLog } from '../../log/embedded-log.ts'
import type { GroupCoordinator } from '../../log/groups/coordinator.ts'
import type { TopicDescription } from '../../log/log.ts'
import { TributaryError } from '../../errors.ts'
import type { ConnectionInfo } from './connection-info.ts'
import { ProducerStateTable } from './producer-state.ts'
import type { Authorizer } from './auth/authorizer.ts'
import type { AclStore } from './auth/acl-store.ts'
import { ReservedResources } from './auth/reserved-resources.ts'
import { ReservedResourcesAuthorizer } from './auth/reserved-resources-authorizer.ts'

export interface BrokerOptions {
  readonly log: EmbeddedLog
  readonly logger: Logger
  /** Kafka's auto.create.topics.enable: Metadata and Produce create unknown topics. Default true. */
  readonly autoCreateTopics?: boolean
  /** Kafka's num.partitions: partitions of an auto-created topic. Default 1. */
  readonly defaultPartitions?: number
  /**
   * Kafka's advertised.listeners: the host and port clients are told to come back to. Default: the
   * address each client connected to, which is right unless a proxy or a container's port mapping
   * stands between them.
   */
  readonly advertisedAddress?: { readonly host: string; readonly port: number }
  /** Who may do what; default: everything but the worker's reserved topics and groups. */
  readonly authorizer?: Authorizer
  /** The ACLs CreateAcls, DescribeAcls and DeleteAcls manage; none: those answer SECURITY_DISABLED. */
  readonly acls?: AclStore
}

export const BROKER_NODE_ID = 0
const CLUSTER_ID_FILE = 'cluster-id'

export class Broker {
  readonly log: EmbeddedLog
  readonly logger: Logger
  readonly nodeId = BROKER_NODE_ID
  readonly clusterId: string
  readonly producers: ProducerStateTable
  readonly autoCreateTopics: boolean
  readonly defaultPartitions: number
  readonly authorizer: Authorizer
  readonly acls: AclStore | undefined
  private readonly advertised: { readonly host: string; readonly port: number } | undefined

  private constructor(options: BrokerOptions, clusterId: string) {
    this.log = options.log
    this.logger = options.logger
    this.clusterId = clusterId
    this.autoCreateTopics = options.autoCreateTopics ?? true
    this.defaultPartitions = options.defaultPartitions ?? 1
    this.advertised = options.advertisedAddress
    this.authorizer = options.authorizer ?? new ReservedResourcesAuthorizer(new ReservedResources())
    this.acls = options.acls
    // Ids from the transaction coordinator's stored blocks: never handed out twice, restarts included.
    this.producers = new ProducerStateTable(
      async () => (await this.log.transactions()).allocateProducerId(),
      (topic, partition, producerId) => this.log.takeRecoveredProducer(topic, partition, producerId),
    )
  }

  /** Where Metadata and FindCoordinator send a client: the advertised address, or the one it used. */
  addressFor(connection: ConnectionInfo): { host: string; port: number } {
    if (this.advertised) return { host: this.advertised.host, port: this.advertised.port }
    const local = connection.localAddress
    return { host: local.startsWith('::ffff:') ? local.slice(7) : local, port: connection.localPort }
  }

  static async open(options: BrokerOptions): Promise<Broker> {
    return new Broker(options, await loadClusterId(options.log.dataDir))
  }

  groups(): Promise<GroupCoordinator> {
    return this.log.groups()
  }

  /** The topic, created first when it is missing and auto-creation is on; undefined when missing. */
  async topicForClient(name: string, allowAutoCreate: boolean): Promise<TopicDescription | undefined> {
    if (this.log.hasTopic(name)) return this.log.describeTopic(name)
    if (!allowAutoCreate || !this.autoCreateTopics) return undefined
    try {
      const created = await this.log.createTopic(name, { partitions: this.defaultPartitions })
      this.logger.info({ topic: name, partitions: this.defaultPartitions }, 'auto-created a topic for a Kafka client')
      return created
    } catch (error) {
      // Two clients asking at once: the other one created it.
      if (error instanceof TributaryError && error.code === 'TRB_TOPIC_EXISTS') return this.log.describeTopic(name)
      throw error
    }
  }
}

/** A Kafka cluster id (22 characters of URL-safe base64), made once per data directory. */
async function loadClusterId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, CLUSTER_ID_FILE)
  try {
    return (await fs.readFile(file, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const id = randomBytes(16).toString('base64url')
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 })
  await fs.writeFile(file, `${id}\n`, { mode: 0o600 }) // the data directory is the worker's user's alone
  return id
}
