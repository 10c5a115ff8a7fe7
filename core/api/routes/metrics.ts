/**
 * `GET /metrics`: Prometheus text from the worker's registry (records, bytes, errors, lag, task
 * states). `GET /metrics/connectors`: the same counters summed per connector, as JSON with the time
 * they were read, for the dashboard's rates.
 */
import { Router } from 'express'
import type { WorkerMetrics } from '../../runtime/task-metrics.ts'

export function metricsRoutes(metrics: WorkerMetrics): Router {
  const router = Router()
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
  router.get('/metrics/connectors', async (_req, res) => {
    const connectors = await metrics.connectorTotals()
    res.json({ at: Date.now(), connectors })
  })
  return router
}
