/**
 * Kafka Connect's connector resource: the same paths, verbs, JSON shapes and status codes, so its
 * clients and scripts work unchanged. Configs are string maps; secrets are redacted on the way out.
 */
import { Router, type Request } from 'express'
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import type { ConnectorInfo, Herder } from '../../runtime/herder.ts'
import { forwardRequest, mayForward, relayAnswer } from '../forward-request.ts'
import { parseBody } from '../request-body.ts'
import { maskDeep } from '../../runtime/secrets.ts'
import { maskConfig } from '../../runtime/secrets.ts'
import { restoreHiddenSecrets } from '../secrets.ts'

const configMap = z.record(z.string(), z.string())
const createBody = z.object({
  name: z.string().min(1),
  config: configMap,
  initial_state: z.enum(['RUNNING', 'PAUSED', 'STOPPED']).optional(),
})
const patchBody = z.record(z.string(), z.string().nullable())

export function connectorRoutes(herder: Herder): Router {
  const router = Router()
  const shown = (info: ConnectorInfo) => ({ ...info, config: maskConfig(info.config) })
  // Traces are masked where they are made; this also covers ones stored by an older worker.
  const statusOf = (name: string) => maskDeep(herder.status(name)) as ReturnType<Herder['status']>

  router.get('/connectors', (req, res) => {
    const names = herder.connectorNames()
    const expand = new Set([req.query.expand].flat().filter((value): value is string => typeof value === 'string'))
    if (!expand.has('status') && !expand.has('info') && !expand.has('pipeline')) {
      res.json(names)
      return
    }
    res.json(Object.fromEntries(names.map((name) => [name, {
      ...(expand.has('info') && { info: shown(herder.info(name)) }),
      ...(expand.has('status') && { status: statusOf(name) }),
      ...(expand.has('pipeline') && { pipeline: pipelineOf(herder, name) }),
    }])))
  })

  router.post('/connectors', async (req, res) => {
    const body = parseBody(createBody, req.body, 'connector creation request')
    if (body.config.name !== undefined && body.config.name !== body.name) {
      throw new TributaryError('TRB_CONNECTOR_CONFIG_INVALID', `Connector name configuration (${body.config.name}) doesn't match connector name in the URL (${body.name})`)
    }
    const { name: _ignored, ...config } = body.config
    const initialState = body.initial_state === 'RUNNING' || body.initial_state === undefined ? 'STARTED' : body.initial_state
    const info = await herder.create(body.name, restoreHiddenSecrets(config, undefined), { initialState })
    res.status(201).location(`/connectors/${encodeURIComponent(body.name)}`).json(shown(info))
  })

  router.get('/connectors/:name', (req, res) => {
    res.json(shown(herder.info(req.params.name)))
  })

  router.get('/connectors/:name/config', (req, res) => {
    res.json(maskConfig(herder.config(req.params.name)))
  })

  router.put('/connectors/:name/config', async (req, res) => {
    const name = req.params.name
    const incoming = parseBody(configMap, req.body, 'connector config')
    if (incoming.name !== undefined && incoming.name !== name) {
      throw new TributaryError('TRB_CONNECTOR_CONFIG_INVALID', `Connector name configuration (${incoming.name}) doesn't match connector name in the URL (${name})`)
    }
    const { name: _ignored, ...config } = incoming
    const { created, info } = await herder.putConfig(name, restoreHiddenSecrets(config, herder.has(name) ? herder.config(name) : undefined))
    res.status(created ? 201 : 200).json(shown(info))
  })

  router.patch('/connectors/:name/config', async (req, res) => {
    const name = req.params.name
    const patch = parseBody(patchBody, req.body, 'connector config patch')
    const merged: Record<string, string> = { ...herder.config(name) }
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key]
      else merged[key] = value
    }
    const { info } = await herder.putConfig(name, restoreHiddenSecrets(merged, herder.config(name), Object.keys(patch)))
    res.json(shown(info))
  })

  router.delete('/connectors/:name', async (req, res) => {
    await herder.delete(req.params.name)
    res.status(204).end()
  })

  router.get('/connectors/:name/status', (req, res) => {
    res.json(statusOf(req.params.name))
  })

  router.post('/connectors/:name/restart', async (req, res) => {
    const name = req.params.name
    const includeTasks = booleanQuery(req, 'includeTasks')
    const onlyFailed = booleanQuery(req, 'onlyFailed')
    herder.status(name)
    // In a group each worker restarts what it runs of the connector; the others are asked for theirs.
    const others = mayForward(req) ? herder.workersElsewhere(name, { connector: true, tasks: includeTasks, ...(onlyFailed && { state: 'FAILED' as const }) }) : []
    const answers = await Promise.all(others.map((workerId) => forwardRequest(req, workerId)))
    const refused = answers.find((answer) => answer.status >= 400)
    if (refused !== undefined) return relayAnswer(res, refused)
    await herder.restart(name, { includeTasks, onlyFailed })
    if (!includeTasks && !onlyFailed) res.status(204).end()
    else res.status(202).json(statusOf(name))
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

  router.get('/connectors/:name/tasks', (req, res) => {
    const info = herder.info(req.params.name)
    const config = maskConfig(info.config)
    res.json(info.tasks.map((id) => ({ id, config: { ...config, 'task.id': String(id.task) } })))
  })

  router.get('/connectors/:name/tasks/:id/status', (req, res) => {
    const status = statusOf(req.params.name)
    const task = status.tasks.find((candidate) => String(candidate.id) === req.params.id)
    if (task === undefined) throw new TributaryError('TRB_TASK_NOT_FOUND', `Task ${req.params.name}-${req.params.id} not found`)
    res.json(task)
  })

  router.post('/connectors/:name/tasks/:id/restart', async (req, res) => {
    const id = Number(req.params.id)
    const [runsIt] = mayForward(req) && Number.isInteger(id) ? herder.workersElsewhere(req.params.name, { connector: false, tasks: [id] }) : []
    if (runsIt !== undefined) return relayAnswer(res, await forwardRequest(req, runsIt))
    await herder.restartTask(req.params.name, id)
    res.status(204).end()
  })

  return router
}

/**
 * `expand=pipeline` (Tributary's own): the pipeline file that owns a connector, and the pipeline's
 * name, which is the connector's name before `.<id>` (ids contain no dots); null for one made by API.
 */
function pipelineOf(herder: Herder, name: string): { name: string; file: string } | null {
  const file = herder.pipelineFile(name)
  return file === undefined ? null : { name: name.slice(0, name.lastIndexOf('.')), file }
}

function booleanQuery(req: Request, name: string): boolean {
  const value = req.query[name]
  if (value === undefined) return false
  if (value === 'true' || value === 'false') return value === 'true'
  throw new TributaryError('TRB_CONFIG_INVALID', `query parameter ${name} must be true or false`)
}
