/**
 * Which host names are this worker's own, for the DNS rebinding guard (host-check.ts) and the
 * same-origin test of writes (origin-check.ts). A page on an attacker's name can make a browser send
 * requests to 127.0.0.1 once that name resolves there; the request then still carries the attacker's
 * name in `Host`, so a worker answers only to names that are its own: loopback names, the address it
 * is bound to, the address it advertises, the addresses of its interfaces when bound to every one
 * (an IP literal is no rebinding vector: no DNS answer stands behind it), and the names an operator
 * allows. Ports are not compared: an attacker chooses the name, not the port.
 */
import { BlockList, isIP } from 'node:net'
import os from 'node:os'

export interface WorkerNamesOptions {
  /** The address the REST API listens on (`--rest-host`). */
  readonly bindHost?: string
  /** The host part of `--rest-advertised-address` (or the default advertised name). */
  readonly advertisedHost?: string | undefined
  /** `--rest-allowed-hosts`: extra names; `*` allows every name. */
  readonly allowedHosts?: readonly string[]
}

/** Tells whether a host name (no port) names this worker. */
export type WorkerNames = (hostname: string) => boolean

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6')

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', ''])

export function isWildcardHost(host: string): boolean {
  return WILDCARDS.has(host)
}

/** localhost, *.localhost (RFC 6761 keeps them on this machine), 127.0.0.0/8 and ::1. */
export function isLoopbackName(hostname: string): boolean {
  const name = normalizeHostname(hostname)
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const family = isIP(name)
  return family !== 0 && loopback.check(name, family === 4 ? 'ipv4' : 'ipv6')
}

/** Lower case, no IPv6 brackets, no trailing dot. */
export function normalizeHostname(hostname: string): string {
  let name = hostname.trim().toLowerCase()
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1)
  if (name.endsWith('.')) name = name.slice(0, -1)
  return name
}

/** The host name of a `Host` header value (`name:port`, `[v6]:port`, or a bare name); undefined when malformed. */
export function hostnameOfHostHeader(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined
  try {
    const url = new URL(`http://${host}`)
    // A Host header holds a name and a port only; anything else (user info, a path) is not a Host.
    if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined
    return normalizeHostname(url.hostname)
  } catch {
    return undefined
  }
}

export function workerNames(options: WorkerNamesOptions = {}): WorkerNames {
  const allowed = new Set((options.allowedHosts ?? []).map(normalizeHostname).filter((name) => name !== ''))
  if (allowed.has('*')) return () => true
  const bindHost = options.bindHost === undefined ? undefined : normalizeHostname(options.bindHost)
  const bindsEverywhere = bindHost !== undefined && isWildcardHost(bindHost)
  if (bindHost !== undefined && !bindsEverywhere) allowed.add(bindHost)
  if (options.advertisedHost !== undefined) allowed.add(normalizeHostname(options.advertisedHost))
  return (hostname) => {
    const name = normalizeHostname(hostname)
    if (allowed.has(name) || isLoopbackName(name)) return true
    // Read each time: interfaces come and go (DHCP, containers), and this runs only for IP literals.
    return bindsEverywhere && isIP(name) !== 0 && isInterfaceAddress(name)
  }
}

function isInterfaceAddress(address: string): boolean {
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (normalizeHostname(entry.address) === address) return true
    }
  }
  return false
}
