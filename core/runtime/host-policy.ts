/**
 * Which hosts connectors may reach (`--connect-allowed-hosts`): CIDR ranges (`10.0.0.0/8`,
 * `fd00::/8`, a single address) and host names (`db.internal`, `*.example.com`). A listed name is
 * trusted as the operator wrote it; any other name must resolve only into listed ranges, and the
 * addresses that passed are what the connector connects to, so a second DNS answer (rebinding)
 * cannot swap the target. Ranges are matched with Node's net.BlockList.
 */
import dns from 'node:dns/promises'
import net from 'node:net'
import { TributaryError } from '../errors.ts'

export const CONNECT_ALLOWED_HOSTS_SETTING = '--connect-allowed-hosts (TRIBUTARY_CONNECT_ALLOWED_HOSTS)'

export class HostPolicy {
  readonly entries: readonly string[]
  private readonly ranges = new net.BlockList()
  private readonly names: string[] = []
  private readonly suffixes: string[] = []

  /** Throws TRB_CONFIG_INVALID on an entry that is neither a range nor a name. */
  constructor(entries: readonly string[]) {
    this.entries = entries
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string | undefined]
      const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined
      if (family !== undefined) {
        const bits = prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix)
        if (!Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv4' ? 32 : 128)) throw invalidEntry(entry)
        this.ranges.addSubnet(address, bits, family)
      } else if (/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) {
        if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1).toLowerCase())
        else this.names.push(entry.toLowerCase().replace(/\.$/, ''))
      } else throw invalidEntry(entry)
    }
  }

  /** At validate time, without DNS: a refusal for an address outside the ranges, or a name that can only be refused. */
  refusalWithoutDns(host: string, port: number): string | undefined {
    const address = bare(host)
    if (net.isIP(address) !== 0) return this.allowsAddress(address) ? undefined : refusal(host, port, 'is outside')
    if (this.allowsName(address)) return undefined
    // A name not listed may still resolve into a listed range; with no ranges it cannot.
    return this.hasRanges() ? undefined : refusal(host, port, 'is not among')
  }

  /** The addresses to connect to; throws TRB_CONNECT_HOST_NOT_ALLOWED when none may be used. */
  async resolve(host: string, port: number): Promise<string[]> {
    const address = bare(host)
    if (net.isIP(address) !== 0) {
      if (!this.allowsAddress(address)) throw refused(host, port, 'is outside')
      return [address]
    }
    const listed = this.allowsName(address)
    if (!listed && !this.hasRanges()) throw refused(host, port, 'is not among')
    const found = (await lookupAll(address, host, port)).filter((found) => listed || this.allowsAddress(found))
    if (found.length === 0) throw refused(host, port, 'resolves only to addresses outside')
    return found
  }

  private allowsAddress(address: string): boolean {
    const family = net.isIPv4(address) ? 'ipv4' : 'ipv6'
    if (this.ranges.check(address, family)) return true
    // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
    return mapped !== undefined && this.ranges.check(mapped, 'ipv4')
  }

  private allowsName(name: string): boolean {
    const lower = name.toLowerCase().replace(/\.$/, '')
    return this.names.includes(lower) || this.suffixes.some((suffix) => lower.endsWith(suffix))
  }

  private hasRanges(): boolean {
    return this.ranges.rules.length > 0
  }
}

/** Every address a name resolves to; a failed lookup says only that the host is unreachable. */
export async function lookupAll(name: string, host: string, port: number): Promise<string[]> {
  try {
    return (await dns.lookup(name, { all: true, verbatim: true })).map((entry) => entry.address)
  } catch (error) {
    // The connector says what failed, as for any connection error (connect-failure.ts).
    throw Object.assign(new Error(`${host}:${port} does not resolve`), { code: (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND' })
  }
}

function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

function refusal(host: string, port: number, how: string): string {
  return `host ${host}:${port} ${how} the hosts connectors may reach; add it (a name or a CIDR range) to ${CONNECT_ALLOWED_HOSTS_SETTING} to allow it`
}

function refused(host: string, port: number, how: string): TributaryError {
  return new TributaryError('TRB_CONNECT_HOST_NOT_ALLOWED', refusal(host, port, how), {
    details: { host, port, setting: CONNECT_ALLOWED_HOSTS_SETTING },
  })
}

function invalidEntry(entry: string): TributaryError {
  return new TributaryError(
    'TRB_CONFIG_INVALID',
    `${CONNECT_ALLOWED_HOSTS_SETTING}: "${entry}" is neither a CIDR range (10.0.0.0/8, 192.0.2.7) nor a host name (db.internal, *.example.com)`,
    { details: { setting: CONNECT_ALLOWED_HOSTS_SETTING, entry } },
  )
}
