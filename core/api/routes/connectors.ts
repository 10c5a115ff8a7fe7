/**
 * Kafka Connect's connector resource: the same paths, verbs, JSON shapes and status codes, so its
 * clients and scripts work unchanged. This file lists, creates, shows and deletes connectors;
 * connector-config.ts has their configs, connector-state.ts their lifecycle, connector-tasks.ts their
 * tasks, connector-offsets.ts their offsets. Configs are string maps; secrets are redacted on the way out.
 */
import { Router } from 'express'
import { z } from 'zod'
import type { Herder } from '../../runtime/herder.ts'
import { shownInfo, shownStatus } from '../connector-views.ts'
import { parseBody } from '../request-body.ts'
import { restoreHiddenSecrets } from '../secrets.ts'
import { withoutName } from './connector-config.ts'

const createBody = z.object({
  name: z.string().min(1),
  config: z.record(z.string(), z.string()),
  initial_state: z.enum(['RUNNING', 'PAUSED', 'STOPPED']).optional(),
})

export function connectorRoutes(herder: Herder): Router {
  const router = Router()

  router.get('/connectors', (req, res) => {
    const names = herder.connectorNames()
    const expand = new Set([req.query.expand].flat().filter((value): value is string => typeof value === 'string'))
    if (!expand.has('status') && !expand.has('info') && !expand.has('pipeline')) {
      res.json(names)
      return
    }
    res.json(
      Object.fromEntries(
        names.map((name) => [
          name,
          {
            ...(expand.has('info') && { info: shownInfo(herder.info(name)) }),
            ...(expand.has('status') && { status: shownStatus(herder, name) }),
            ...(expand.has('pipeline') && { pipeline: pipelineOf(herder, name) }),
          },
        ]),
      ),
    )
  })

  router.post('/connectors', async (req, res) => {
    const body = parseBody(createBody, req.body, 'connector creation request')
    const config = withoutName(body.name, body.config)
    const initialState = body.initial_state === 'RUNNING' || body.initial_state === undefined ? 'STARTED' : body.initial_state
    const info = await herder.create(body.name, restoreHiddenSecrets(config, undefined), { initialState })
    res
      .status(201)
      .location(`/connectors/${encodeURIComponent(body.name)}`)
      .json(shownInfo(info))
  })

  router.get('/connectors/:name', (req, res) => {
    res.json(shownInfo(herder.info(req.params.name)))
  })

  router.delete('/connectors/:name', async (req, res) => {
    await herder.delete(req.params.name)
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
