/**
 * Kafka's max.connections and max.connections.per.ip, with one rule Kafka does not need on a shared
 * broker but a worker on a shared machine does: when a limit is reached, a new connection first
 * takes the place of the oldest connection that has not yet established itself (authenticated when
 * SASL is on, else sent a request), and is refused only when there is none. Sockets opened and left
 * silent therefore cannot lock real clients out, even from the same address (every local program
 * connects from 127.0.0.1); they are closed by the pre-authentication timeout anyway.
 */

export interface AdmittedConnection {
  readonly ip: string
  readonly isEstablished: boolean
  /** Closes the connection; it must leave (`remove`) before returning. */
  evict(): void
}

export interface AdmissionLimits {
  readonly maxConnections: number
  readonly maxConnectionsPerIp: number
}

export type Admission = 'admitted' | 'refused-total' | 'refused-per-ip'

export class ConnectionAdmission {
  private readonly limits: AdmissionLimits
  /** In the order they were accepted: the first is the oldest. */
  private readonly open = new Set<AdmittedConnection>()
  private readonly perIp = new Map<string, number>()
  private evictedCount = 0

  constructor(limits: AdmissionLimits) {
    this.limits = limits
  }

  get size(): number {
    return this.open.size
  }

  /** Connections closed to make room for a newer one. */
  get evicted(): number {
    return this.evictedCount
  }

  /** Makes room for a connection from `ip`, evicting unestablished ones if need be; whether it may come in. */
  makeRoom(ip: string): Admission {
    while (this.open.size >= this.limits.maxConnections) {
      if (!this.evictOldestUnestablished(() => true)) return 'refused-total'
    }
    while ((this.perIp.get(ip) ?? 0) >= this.limits.maxConnectionsPerIp) {
      if (!this.evictOldestUnestablished((c) => c.ip === ip)) return 'refused-per-ip'
    }
    return 'admitted'
  }

  add(connection: AdmittedConnection): void {
    this.open.add(connection)
    this.perIp.set(connection.ip, (this.perIp.get(connection.ip) ?? 0) + 1)
  }

  remove(connection: AdmittedConnection): void {
    if (!this.open.delete(connection)) return
    const left = (this.perIp.get(connection.ip) ?? 1) - 1
    if (left === 0) this.perIp.delete(connection.ip)
    else this.perIp.set(connection.ip, left)
  }

  private evictOldestUnestablished(matches: (connection: AdmittedConnection) => boolean): boolean {
    for (const connection of this.open) {
      if (connection.isEstablished || !matches(connection)) continue
      connection.evict()
      this.remove(connection)
      this.evictedCount++
      return true
    }
    return false
  }
}
