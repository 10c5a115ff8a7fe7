/** Kafka Connect's offsets endpoints (KIP-875): read any time; alter and reset only when STOPPED. */
import { Router } from 'express'
import { z } from 'zod'
import type { Herder } from '../../runtime/herder.ts'
import { parseBody } from '../request-body.ts'

const alterBody = z.object({
  offsets: z.array(z.object({ partition: z.record(z.string(), z.unknown()), offset: z.record(z.string(), z.unknown()).nullable() })).min(1),
})

export function connectorOffsetRoutes(herder: Herder): Router {
  const router = Router()
  router.get('/connectors/:name/offsets', async (req, res) => {
    res.json({ offsets: await herder.listOffsets(req.params.name) })
  })
  router.patch('/connectors/:name/offsets', async (req, res) => {
    const body = parseBody(alterBody, req.body, 'offsets request')
    await herder.alterOffsets(req.params.name, body.offsets)
    res.json({ message: 'The offsets for this connector have been altered successfully' })
  })
  router.delete('/connectors/:name/offsets', async (req, res) => {
    await herder.resetOffsets(req.params.name)
    res.json({ message: 'The offsets for this connector have been reset successfully' })
  })
  return router
}
