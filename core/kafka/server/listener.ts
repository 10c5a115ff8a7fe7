/**
 * The Kafka protocol listener: a TCP server that serves the embedded log to unmodified Kafka clients
 * (kafkajs, librdkafka/kcat, kafka-python, the Java client). Connections beyond `maxConnections` are
 * refused at once, so a flood cannot take the memory the other clients need.
 */
import { EventEmitter } from 'node:events'
import net from 'node:net'
import { createLogger, type Logger } from '../../logger.ts'
import type { EmbeddedLog } from '../../log/embedded-log.ts'
import { Broker } from './broker.ts'
import type { ConnectionInfo } from './api-handler.ts'
import { Connection } from './connection.ts'
import { advertisedVersions, handlerRegistry } from './handlers/index.ts'
import type { SaslOptions } from './sasl-plain.ts'
import { ReservedResources } from './auth/reserved-resources.ts'
import { ReservedResourcesAuthorizer } from './auth/reserved-resources-authorizer.ts'

export interface KafkaListenerOptions {
  readonly log: EmbeddedLog
  readonly host?: string
  /** 0 picks a free port. Default 9092. */
  readonly port?: number
  readonly logger?: Logger
  /** Default 1,000. */
  readonly maxConnections?: number
  /** Kafka's socket.request.max.bytes: larger frames close their connection. Default 100 MiB. */
  readonly maxRequestBytes?: number
  readonly autoCreateTopics?: boolean
  readonly defaultPartitions?: number
  /** Kafka's advertised.listeners; default: the address each client connected to. */
  readonly advertisedAddress?: { readonly host: string; readonly port: number }
  /** SASL/PLAIN users (name → password): every client must authenticate as one of them. */
  readonly sasl?: SaslOptions
  /**
   * Kafka's super.users (`User:<name>`): principals allowed everything, the worker's internal topics
   * and groups included. Only an authenticated principal can be one; without SASL nobody is.
   */
  readonly superUsers?: readonly string[]
  /** Group ids closed to clients besides the runtime's `tributary-*` ones: a distributed worker's group.id. */
  readonly reservedGroups?: readonly string[]
}

export interface KafkaListenerEvents {
  /** A connection stopped reading requests until its client takes the responses already sent. */
  'slow-client': [info: ConnectionInfo, unsentBytes: number]
}

export class KafkaListener {
  readonly broker: Broker
  readonly events = new EventEmitter<KafkaListenerEvents>()
  private readonly server: net.Server
  private readonly connections = new Set<Connection>()
  private nextConnectionId = 1

  private constructor(broker: Broker, server: net.Server) {
    this.broker = broker
    this.server = server
  }

  static async start(options: KafkaListenerOptions): Promise<KafkaListener> {
    const logger = options.logger ?? createLogger('kafka')
    const broker = await Broker.open({
      log: options.log,
      logger,
      ...(options.autoCreateTopics === undefined ? {} : { autoCreateTopics: options.autoCreateTopics }),
      ...(options.defaultPartitions === undefined ? {} : { defaultPartitions: options.defaultPartitions }),
      ...(options.advertisedAddress === undefined ? {} : { advertisedAddress: options.advertisedAddress }),
      authorizer: new ReservedResourcesAuthorizer(new ReservedResources(options.reservedGroups), options.superUsers),
    })
    const connectionOptions = {
      maxFrameBytes: options.maxRequestBytes ?? 100 * 1024 * 1024,
      handlers: handlerRegistry,
      advertisedVersions,
      debugFramesDir: process.env.TRB_DEBUG_FRAMES,
      onSlowClient: (info: ConnectionInfo, unsentBytes: number) => {
        logger.debug({ connection: info.remoteAddress, unsentBytes }, 'a Kafka client is slow to read; pausing its requests')
        listener.events.emit('slow-client', info, unsentBytes)
      },
      sasl: options.sasl,
    }
    const server = net.createServer()
    const listener = new KafkaListener(broker, server)
    server.maxConnections = options.maxConnections ?? 1000
    server.on('drop', (data) => logger.warn({ remote: `${data?.remoteAddress}:${data?.remotePort}` }, 'refused a Kafka connection: the connection limit is reached'))
    server.on('connection', (socket) => {
      const connection = new Connection(listener.nextConnectionId++, socket, broker, connectionOptions)
      listener.connections.add(connection)
      socket.on('close', () => listener.connections.delete(connection))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 9092, options.host ?? '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    return listener
  }

  get port(): number {
    const address = this.server.address()
    return typeof address === 'object' && address !== null ? address.port : 0
  }

  get host(): string {
    const address = this.server.address()
    return typeof address === 'object' && address !== null ? address.address : ''
  }

  /** Response bytes written but not yet taken by the clients' sockets, over every connection. */
  unsentBytes(): number {
    let total = 0
    for (const connection of this.connections) total += connection.unsentBytes
    return total
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /** Stops accepting, closes every client connection and waits for the server to let go of the port. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const connection of this.connections) connection.close()
    await closed
  }
}
