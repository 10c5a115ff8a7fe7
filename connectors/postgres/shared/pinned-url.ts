/**
 * Where a postgres:// connection string leads, for the worker's sandbox: the host and port it names
 * (declared at validate time), and the same string pointed at the address the sandbox checked, so
 * every connection of a task goes where was checked, not to a later DNS answer. With
 * `sslmode=verify-full` the name is kept: the server's certificate is then checked against it, which
 * a rebound address cannot pass.
 */
import net from 'node:net'
import type { ConnectPolicy } from '../../../core/runtime/plugin.ts'

export interface PostgresTarget {
  readonly host: string
  readonly port: number
}

/** undefined for a Unix socket (no network) or a string that is not a URL. */
export function postgresTarget(url: string): PostgresTarget | undefined {
  if (!URL.canParse(url)) return undefined
  const parsed = new URL(url)
  const host = parsed.searchParams.get('host') ?? (decodeURIComponent(parsed.hostname) || 'localhost')
  if (host.startsWith('/')) return undefined
  return { host, port: Number(parsed.searchParams.get('port') ?? parsed.port) || 5432 }
}

/** The host a connection string reaches, under its key `url`; none for a Unix socket. */
export function databaseHosts(url: string): Array<{ key: string; host: string; port: number }> {
  const target = postgresTarget(url)
  return target === undefined ? [] : [{ key: 'url', ...target }]
}

export async function pinnedConnectionString(policy: ConnectPolicy, url: string): Promise<string> {
  const target = postgresTarget(url)
  if (target === undefined) return url
  const [address] = await policy.checkHost(target.host, target.port)
  const parsed = new URL(url)
  if (address === undefined || parsed.searchParams.get('sslmode') === 'verify-full' || parsed.searchParams.has('host')) return url
  parsed.hostname = net.isIPv6(address) ? `[${address}]` : address
  return parsed.toString()
}
