/**
 * What the listener lets one client, one address and everyone together hold: connections, time and
 * buffered bytes, named after Kafka's broker settings. The defaults keep a worker on a shared
 * machine answering real clients while another program opens sockets and leaves them silent or
 * sends large frames and stops half way.
 */
export interface ListenerLimits {
  /** Kafka's max.connections. */
  readonly maxConnections: number
  /** Kafka's max.connections.per.ip. */
  readonly maxConnectionsPerIp: number
  /** Kafka's connections.max.idle.ms. */
  readonly connectionsMaxIdleMs: number
  /** Closes a connection not authenticated (SASL) or, without SASL, that sent no request by then. */
  readonly preAuthTimeoutMs: number
  /** Kafka's socket.request.max.bytes: a larger frame closes its connection. */
  readonly socketRequestMaxBytes: number
  /** Kafka's queued.max.request.bytes: bytes of requests not yet served, over every connection. */
  readonly queuedMaxRequestBytes: number
}

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  // Kafka has no limit; one node serving a machine's clients needs far fewer, and each costs a file descriptor.
  maxConnections: 1000,
  // Kafka has no limit. Half the total: one address (every local program shares 127.0.0.1) never takes every slot.
  maxConnectionsPerIp: 500,
  // Kafka's default: 10 minutes.
  connectionsMaxIdleMs: 600_000,
  // Kafka bounds only the SASL exchange (its clients finish it in milliseconds); 10 s is room for a slow network.
  preAuthTimeoutMs: 10_000,
  // Kafka's default: 100 MiB.
  socketRequestMaxBytes: 100 * 1024 * 1024,
  // Kafka's default is unlimited and it requires at least socket.request.max.bytes: the smallest allowed.
  queuedMaxRequestBytes: 100 * 1024 * 1024,
}
