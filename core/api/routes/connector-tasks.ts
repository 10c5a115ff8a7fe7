/**
 * Kafka Connect's task endpoints: a connector's task configs, one task's status, and a task
 * restart, forwarded in a group to the worker that runs the task.
 */
import { Router } from 'express'
import { TributaryError } from '../../errors.ts'
import type { Herder } from '../../runtime/herder.ts'
import { maskConfig } from '../../secrets.ts'
import { shownStatus } from '../connector-views.ts'
import { forwardRequest, mayForward, relayAnswer } from '../forward-request.ts'

export function connectorTaskRoutes(herder: Herder): Router {
  const router = Router()

  router.get('/connectors/:name/tasks', (req, res) => {
    const info = herder.info(req.params.name)
    const config = maskConfig(info.config)
    res.json(info.tasks.map((id) => ({ id, config: { ...config, 'task.id': String(id.task) } })))
  })

  router.get('/connectors/:name/tasks/:id/status', (req, res) => {
    const status = shownStatus(herder, req.params.name)
    const task = status.tasks.find((candidate) => String(candidate.id) === req.params.id)
    if (task === undefined) throw new TributaryError('TRB_TASK_NOT_FOUND', `Task ${req.params.name}-${req.params.id} not found`)
    res.json(task)
  })

  router.post('/connectors/:name/tasks/:id/restart', async (req, res) => {
    const id = Number(req.params.id)
    const [runsIt] =
      mayForward(req) && Number.isInteger(id) ? herder.workersElsewhere(req.params.name, { connector: false, tasks: [id] }) : []
    if (runsIt !== undefined) return relayAnswer(res, await forwardRequest(req, runsIt))
    await herder.restartTask(req.params.name, id)
    res.status(204).end()
  })

  return router
}
