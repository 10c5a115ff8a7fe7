/**
 * The DNS rebinding guard: a request whose `Host` is not a name of this worker (worker-names.ts) is
 * refused with 421 Misdirected Request before any route sees it. `GET /health` is exempt: it tells
 * only whether the worker is ready, and a load balancer's or orchestrator's probe often addresses the
 * worker by a name or address the worker cannot know.
 */
import type { RequestHandler } from 'express'
import { TributaryError } from '../errors.ts'
import { hostnameOfHostHeader, type WorkerNames } from './worker-names.ts'

export function hostCheck(isWorkerName: WorkerNames): RequestHandler {
  return (req, _res, next) => {
    if (req.path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      next()
      return
    }
    const host = req.get('host')
    const hostname = hostnameOfHostHeader(host)
    if (hostname !== undefined && isWorkerName(hostname)) {
      next()
      return
    }
    next(
      new TributaryError(
        'TRB_REST_HOST_REFUSED',
        `Host ${JSON.stringify(host ?? '')} is not a name of this worker, so the request was refused (a guard against DNS rebinding); if clients reach the worker by that name, add it with --rest-allowed-hosts (TRIBUTARY_REST_ALLOWED_HOSTS)`,
        {
          details: { host: host ?? null },
        },
      ),
    )
  }
}
