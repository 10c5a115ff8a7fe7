/** `GET /topics` and `GET /topics/:name`: partitions with their offsets and sizes. */
import { Router } from 'express'
import type { Log } from '../../log/log.ts'

export function topicRoutes(log: Log): Router {
  const router = Router()
  router.get('/topics', async (_req, res) => {
    const names = await log.listTopics()
    res.json(await Promise.all(names.map((name) => log.describeTopic(name))))
  })
  router.get('/topics/:name', async (req, res) => {
    res.json(await log.describeTopic(req.params.name))
  })
  return router
}
