/**
 * A connection's two clocks. The pre-authentication timeout runs from accept until the connection
 * establishes itself (authenticates with SASL, or without SASL sends its first request): a socket
 * opened and left silent holds a slot only that long. The idle timeout (Kafka's
 * connections.max.idle.ms) restarts on every byte in or out and closes a connection with nothing to
 * do; a request still being served (a long poll) is not idleness.
 */

export interface TimedConnection {
  /** True while a request is being served or answers are still going out. */
  isBusy(): boolean
  expire(reason: 'pre-auth-timeout' | 'idle'): void
}

export class ConnectionTimers {
  private readonly preAuth: NodeJS.Timeout
  private readonly idle: NodeJS.Timeout

  constructor(connection: TimedConnection, limits: { readonly preAuthTimeoutMs: number; readonly idleTimeoutMs: number }) {
    // unref: a connection's clock never keeps the process alive on its own.
    this.preAuth = setTimeout(() => connection.expire('pre-auth-timeout'), limits.preAuthTimeoutMs).unref()
    this.idle = setTimeout(() => {
      if (connection.isBusy()) this.idle.refresh()
      else connection.expire('idle')
    }, limits.idleTimeoutMs).unref()
  }

  /** Bytes went in or out. */
  touch(): void {
    this.idle.refresh()
  }

  established(): void {
    clearTimeout(this.preAuth)
  }

  stop(): void {
    clearTimeout(this.preAuth)
    clearTimeout(this.idle)
  }
}
