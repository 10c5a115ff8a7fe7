/**
 * The Kafka protocol listener: a TCP server that serves the embedded log to unmodified Kafka clients
 * (kafkajs, librdkafka/kcat, kafka-python, the Java client). It admits connections within
 * listener-limits.ts (a new one first takes the place of the oldest that never established itself,
 * and is otherwise refused at once), and shares one buffer budget among them, so neither a flood of
 * silent sockets nor half-sent large frames can take what real clients need.
 */
import { EventEmitter } from 'node:events'
import net from 'node:net'
import tls from 'node:tls'
import { createLogger, type Logger } from '../../logger.ts'
import type { EmbeddedLog } from '../../log/embedded-log.ts'
import type { ServerTls } from '../../tls-settings.ts'
import { Broker } from './broker.ts'
import type { ConnectionInfo } from './connection-info.ts'
import { BufferBudget } from './buffer-budget.ts'
import { Connection, type CloseReason } from './connection.ts'
import { ConnectionAdmission } from './connection-admission.ts'
import { DEFAULT_LISTENER_LIMITS, type ListenerLimits } from './listener-limits.ts'
import { TributaryError } from '../../errors.ts'
import { advertisedVersions, handlerRegistry } from './handlers/index.ts'
import type { SaslOptions } from './sasl-session.ts'
import { ReservedResources } from './auth/reserved-resources.ts'
import { AclAuthorizer } from './auth/acl-authorizer.ts'
import { AclStore } from './auth/acl-store.ts'

export interface KafkaListenerOptions {
  readonly log: EmbeddedLog
  readonly host?: string
  /** 0 picks a free port. Default 9092. */
  readonly port?: number
  readonly logger?: Logger
  /** Kafka's max.connections, max.connections.per.ip, connections.max.idle.ms, ...; defaults in listener-limits.ts. */
  readonly limits?: Partial<ListenerLimits>
  /** Kafka's max.connections (kept for callers of the flat option; `limits` wins). */
  readonly maxConnections?: number
  /** Kafka's socket.request.max.bytes (kept for callers of the flat option; `limits` wins). */
  readonly maxRequestBytes?: number
  readonly autoCreateTopics?: boolean
  readonly defaultPartitions?: number
  /** Kafka's advertised.listeners; default: the address each client connected to. */
  readonly advertisedAddress?: { readonly host: string; readonly port: number }
  /** SASL users: every client must authenticate as one of them (PLAIN or SCRAM). */
  readonly sasl?: SaslOptions
  /** Serve TLS (Kafka's SSL, or SASL_SSL with `sasl`): clients must connect with TLS. */
  readonly tls?: ServerTls
  /**
   * Kafka's super.users (`User:<name>`): principals allowed everything, the worker's internal topics
   * and groups included. Only an authenticated principal can be one; without SASL nobody is.
   */
  readonly superUsers?: readonly string[]
  /** Group ids closed to clients besides the runtime's `tributary-*` ones: a distributed worker's group.id. */
  readonly reservedGroups?: readonly string[]
  /**
   * Kafka's allow.everyone.if.no.acl.found: a topic or group no ACL covers is open to every client.
   * Default true, so turning SASL on locks nobody out and ACLs restrict what they name.
   */
  readonly allowEveryoneIfNoAclFound?: boolean
}

export interface KafkaListenerEvents {
  /** A connection stopped reading requests until its client takes the responses already sent. */
  'slow-client': [info: ConnectionInfo, unsentBytes: number]
}

/** What the listener refused or closed, by reason, since it started. */
export type ListenerCounters = Record<CloseReason | 'refused-total' | 'refused-per-ip', number>

export class KafkaListener {
  readonly broker: Broker
  readonly events = new EventEmitter<KafkaListenerEvents>()
  readonly limits: ListenerLimits
  readonly counters: ListenerCounters = {
    'pre-auth-timeout': 0,
    idle: 0,
    evicted: 0,
    'buffer-budget': 0,
    protocol: 0,
    shutdown: 0,
    'refused-total': 0,
    'refused-per-ip': 0,
  }
  private readonly server: net.Server
  private readonly connections = new Set<Connection>()
  private readonly budget: BufferBudget
  private nextConnectionId = 1

  private constructor(broker: Broker, server: net.Server, limits: ListenerLimits) {
    this.broker = broker
    this.server = server
    this.limits = limits
    this.budget = new BufferBudget(limits.queuedMaxRequestBytes)
  }

  static async start(options: KafkaListenerOptions): Promise<KafkaListener> {
    const logger = options.logger ?? createLogger('kafka')
    const limits = resolveLimits(options)
    const acls = await AclStore.open(options.log)
    const broker = await Broker.open({
      log: options.log,
      logger,
      ...(options.autoCreateTopics === undefined ? {} : { autoCreateTopics: options.autoCreateTopics }),
      ...(options.defaultPartitions === undefined ? {} : { defaultPartitions: options.defaultPartitions }),
      ...(options.advertisedAddress === undefined ? {} : { advertisedAddress: options.advertisedAddress }),
      acls,
      authorizer: new AclAuthorizer({
        acls,
        reserved: new ReservedResources(options.reservedGroups),
        superUsers: options.superUsers ?? [],
        allowEveryoneIfNoAclFound: options.allowEveryoneIfNoAclFound ?? true,
      }),
    })
    // With TLS a connection is admitted once its handshake is done; the handshake itself must finish
    // within the pre-authentication timeout, and sockets still in one are capped beside the admitted.
    const server =
      options.tls === undefined ? net.createServer() : tls.createServer({ ...options.tls, handshakeTimeout: limits.preAuthTimeoutMs })
    if (options.tls !== undefined) {
      server.maxConnections = limits.maxConnections * 2
      server.on('tlsClientError', (error, socket) =>
        logger.debug({ err: error, remote: `${socket.remoteAddress}:${socket.remotePort}` }, 'a Kafka client failed its TLS handshake'),
      )
    }
    const listener = new KafkaListener(broker, server, limits)
    const admission = new ConnectionAdmission(limits)
    const connectionOptions = {
      maxFrameBytes: limits.socketRequestMaxBytes,
      preAuthTimeoutMs: limits.preAuthTimeoutMs,
      idleTimeoutMs: limits.connectionsMaxIdleMs,
      budget: listener.budget,
      onClose: (connection: Connection) => {
        admission.remove(connection)
        listener.connections.delete(connection)
        if (connection.closeReason) listener.counters[connection.closeReason]++
      },
      handlers: handlerRegistry,
      advertisedVersions,
      debugFramesDir: process.env.TRB_DEBUG_FRAMES,
      onSlowClient: (info: ConnectionInfo, unsentBytes: number) => {
        logger.debug({ connection: info.remoteAddress, unsentBytes }, 'a Kafka client is slow to read; pausing its requests')
        listener.events.emit('slow-client', info, unsentBytes)
      },
      sasl: options.sasl,
    }
    let lastRefusalLog = 0
    server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: net.Socket) => {
      const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '')
      const admitted = admission.makeRoom(ip)
      if (admitted !== 'admitted') {
        listener.counters[admitted]++
        socket.destroy()
        // At most one line every 10 s: a flood must not fill the log.
        if (Date.now() - lastRefusalLog > 10_000) {
          lastRefusalLog = Date.now()
          const limit =
            admitted === 'refused-total'
              ? `max.connections (${limits.maxConnections})`
              : `max.connections.per.ip (${limits.maxConnectionsPerIp}) for ${ip}`
          logger.warn(
            { remote: ip, refused: listener.counters[admitted] },
            `refusing Kafka connections: ${limit} is reached by established connections; raise TRIBUTARY_KAFKA_${admitted === 'refused-total' ? 'MAX_CONNECTIONS' : 'MAX_CONNECTIONS_PER_IP'} if they are all real clients`,
          )
        }
        return
      }
      const connection = new Connection(listener.nextConnectionId++, socket, broker, connectionOptions)
      listener.connections.add(connection)
      admission.add(connection)
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

  /** Bytes held for requests not yet served, over every connection (bounded by queued.max.request.bytes). */
  get bufferedBytes(): number {
    return this.budget.bufferedBytes
  }

  /** The most bytes ever held at once for requests not yet served. */
  get peakBufferedBytes(): number {
    return this.budget.peakBytes
  }

  /** Stops accepting, closes every client connection and waits for the server to let go of the port. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const connection of this.connections) connection.close()
    await closed
  }
}

function resolveLimits(options: KafkaListenerOptions): ListenerLimits {
  const limits: ListenerLimits = {
    ...DEFAULT_LISTENER_LIMITS,
    ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }),
    ...(options.maxRequestBytes !== undefined && { socketRequestMaxBytes: options.maxRequestBytes }),
    ...options.limits,
  }
  if (limits.queuedMaxRequestBytes < limits.socketRequestMaxBytes) {
    // Kafka refuses this too: a request of the largest allowed size could never be read.
    throw new TributaryError(
      'TRB_CONFIG_INVALID',
      `queued.max.request.bytes (${limits.queuedMaxRequestBytes}) must be at least socket.request.max.bytes (${limits.socketRequestMaxBytes}); raise TRIBUTARY_KAFKA_QUEUED_MAX_REQUEST_BYTES or lower TRIBUTARY_KAFKA_SOCKET_REQUEST_MAX_BYTES`,
      {
        details: { queuedMaxRequestBytes: limits.queuedMaxRequestBytes, socketRequestMaxBytes: limits.socketRequestMaxBytes },
      },
    )
  }
  return limits
}
