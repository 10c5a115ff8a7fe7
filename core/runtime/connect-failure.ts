/**
 * What a failed connection may tell whoever reads a task's status or a validate answer: only that
 * the host:port refused, was unreachable, timed out, or spoke another protocol (or TLS). A driver's
 * own text (a remote banner, "server closed the connection unexpectedly", an SSH greeting read as
 * HTTP) would let a REST caller map which ports of which hosts run what, from the worker's network
 * position. Connectors log the driver's error for the operator and throw with this reason.
 */
export type ConnectFailureReason = 'refused' | 'unreachable' | 'timed out' | 'TLS or protocol mismatch, or the login was refused'

const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
])
const TIMED_OUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

export function connectFailureReason(error: unknown): ConnectFailureReason {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code
    if (code === 'ECONNREFUSED') return 'refused'
    if (code !== undefined && UNREACHABLE.has(code)) return 'unreachable'
    if ((code !== undefined && TIMED_OUT.has(code)) || current.name === 'TimeoutError' || /timeout|timed out/i.test(current.message))
      return 'timed out'
  }
  return 'TLS or protocol mismatch, or the login was refused'
}
