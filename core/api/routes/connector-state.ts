/**
 * Kafka Connect's connector lifecycle endpoints: status, restart, pause, resume and stop. In a
 * group, a restart reaches the other workers that run parts of the connector too.
 */
import { Router, type Request } from 'express'
import { TributaryError } from '../../errors.ts'
import type { Herder } from '../../runtime/herder.ts'
import { shownStatus } from '../connector-views.ts'
import { forwardRequest, mayForward, relayAnswer } from '../forward-request.ts'

export function connectorStateRoutes(herder: Herder): Router {
  const router = Router()

  router.get('/connectors/:name/status', (req, res) => {
    res.json(shownStatus(herder, req.params.name))
  })

  router.post('/connectors/:name/restart', async (req, res) => {
    const name = req.params.name
    const includeTasks = booleanQuery(req, 'includeTasks')
    const onlyFailed = booleanQuery(req, 'onlyFailed')
    herder.status(name)
    // In a group each worker restarts what it runs of the connector; the others are asked for theirs.
    const others = mayForward(req)
      ? herder.workersElsewhere(name, { connector: true, tasks: includeTasks, ...(onlyFailed && { state: 'FAILED' as const }) })
      : []
    const answers = await Promise.all(others.map((workerId) => forwardRequest(req, workerId)))
    const refused = answers.find((answer) => answer.status >= 400)
    if (refused !== undefined) return relayAnswer(res, refused)
    await herder.restart(name, { includeTasks, onlyFailed })
    if (!includeTasks && !onlyFailed) res.status(204).end()
    else res.status(202).json(shownStatus(herder, name))
  })

  router.put('/connectors/:name/pause', async (req, res) => {
    await herder.pause(req.params.name)
    res.status(202).end()
  })

  router.put('/connectors/:name/resume', async (req, res) => {
    await herder.resume(req.params.name)
    res.status(202).end()
  })

  router.put('/connectors/:name/stop', async (req, res) => {
    await herder.stop(req.params.name)
    res.status(204).end()
  })

  return router
}

function booleanQuery(req: Request, name: string): boolean {
  const value = req.query[name]
  if (value === undefined) return false
  if (value === 'true' || value === 'false') return value === 'true'
  throw new TributaryError('TRB_CONFIG_INVALID', `query parameter ${name} must be true or false`)
}
