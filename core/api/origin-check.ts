/**
 * Cross-site request forgery guard: a browser lets any page send a form POST or a `no-cors` fetch to
 * the worker, and sends its cookies-free request without asking first. Writes (every method but GET,
 * HEAD and OPTIONS) are refused with 403 when the browser says they come from another origin: a
 * `Sec-Fetch-Site` other than `same-origin` or `none`, or else an `Origin` whose host and port are
 * not the request's own `Host` (or whose name is not the worker's). Requests without either header
 * (curl, the CLI, other services, forwarded requests) are not from a browser page and pass. This is
 * the check Go's net/http CrossOriginProtection makes.
 */
import type { Request, RequestHandler } from 'express'
import { TributaryError } from '../errors.ts'
import { hostnameOfHostHeader, normalizeHostname, type WorkerNames } from './worker-names.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' }

export function originCheck(isWorkerName: WorkerNames): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || isSameOrigin(req, isWorkerName)) {
      next()
      return
    }
    const from = req.get('origin') ?? `a ${req.get('sec-fetch-site')} page`
    next(
      new TributaryError(
        'TRB_CROSS_ORIGIN',
        `${req.method} ${req.path} from ${from} was refused: the REST API takes writes only from its own origin (the dashboard) or from clients that are not browsers (curl, the tributary CLI)`,
        {
          details: { origin: req.get('origin') ?? null, secFetchSite: req.get('sec-fetch-site') ?? null },
        },
      ),
    )
  }
}

function isSameOrigin(req: Request, isWorkerName: WorkerNames): boolean {
  const site = req.get('sec-fetch-site')
  if (site !== undefined) return site === 'same-origin' || site === 'none'
  const origin = req.get('origin')
  if (origin === undefined) return true
  const from = originHostAndPort(origin)
  const own = hostAndPort(req.get('host'), from?.defaultPort ?? '80')
  return own !== undefined && from !== undefined && own.name === from.name && own.port === from.port && isWorkerName(from.name)
}

/** A Host without a port (behind a proxy on the scheme's port) has the Origin scheme's default port. */
function hostAndPort(host: string | undefined, defaultPort: string): { name: string; port: string } | undefined {
  const name = hostnameOfHostHeader(host)
  if (name === undefined || host === undefined) return undefined
  const port = /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(host)?.[1]
  return { name, port: port === undefined ? defaultPort : String(Number(port)) }
}

/** `http://localhost:8083` → localhost, 8083; `null` and other schemes → undefined. */
function originHostAndPort(origin: string): { name: string; port: string; defaultPort: string } | undefined {
  try {
    const url = new URL(origin)
    const defaultPort = DEFAULT_PORTS[url.protocol]
    if (defaultPort === undefined) return undefined
    return { name: normalizeHostname(url.hostname), port: url.port || defaultPort, defaultPort }
  } catch {
    return undefined
  }
}
