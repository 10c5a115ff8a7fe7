/**
 * Kafka Connect's connector config endpoints: read it (secrets redacted), replace it (PUT creates
 * the connector when it does not exist yet), or change some keys (PATCH; null removes a key). A
 * redacted secret sent back unchanged keeps the stored value.
 */
import { Router } from 'express'
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import type { Herder } from '../../runtime/herder.ts'
import { maskConfig } from '../../secrets.ts'
import { shownInfo } from '../connector-views.ts'
import { parseBody } from '../request-body.ts'
import { restoreHiddenSecrets } from '../secrets.ts'

const configMap = z.record(z.string(), z.string())
const patchBody = z.record(z.string(), z.string().nullable())

export function connectorConfigRoutes(herder: Herder): Router {
  const router = Router()

  router.get('/connectors/:name/config', (req, res) => {
    res.json(maskConfig(herder.config(req.params.name)))
  })

  router.put('/connectors/:name/config', async (req, res) => {
    const name = req.params.name
    const config = withoutName(name, parseBody(configMap, req.body, 'connector config'))
    const { created, info } = await herder.putConfig(name, restoreHiddenSecrets(config, herder.has(name) ? herder.config(name) : undefined))
    res.status(created ? 201 : 200).json(shownInfo(info))
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
    res.json(shownInfo(info))
  })

  return router
}

/** A config sent with a request: its `name`, which must be the connector's own, is not stored. */
export function withoutName(name: string, incoming: Readonly<Record<string, string>>): Record<string, string> {
  if (incoming.name !== undefined && incoming.name !== name) {
    throw new TributaryError(
      'TRB_CONNECTOR_CONFIG_INVALID',
      `Connector name configuration (${incoming.name}) doesn't match connector name in the URL (${name})`,
    )
  }
  const { name: _ignored, ...config } = incoming
  return config
}
