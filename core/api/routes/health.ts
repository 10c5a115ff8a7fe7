/** `GET /` (worker info) and `GET /health` (KIP-1017's readiness shape), as Kafka Connect serves them. */
import { Router } from 'express'

export interface HealthState {
  readonly version: string
  isReady(): boolean
}

export function healthRoutes(state: HealthState): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    res.json({ version: state.version, commit: null, kafka_cluster_id: null })
  })
  router.get('/health', (_req, res) => {
    if (state.isReady()) res.json({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' })
    else res.status(503).json({ status: 'starting', message: 'Worker is still starting up.' })
  })
  return router
}
