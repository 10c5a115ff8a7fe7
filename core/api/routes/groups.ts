/** `GET /groups` (with members and total lag) and `GET /groups/{id}` (assignments, offsets, lag per partition). */
import { Router } from 'express'
import type { Log } from '../../log/log.ts'

export function groupRoutes(log: Log): Router {
  const router = Router()
  router.get('/groups', async (_req, res) => {
    const groups = await log.listGroups()
    res.json(
      await Promise.all(
        groups.map(async (group) => {
          const described = await log.describeGroup(group.groupId)
          return { ...group, lag: described.offsets.reduce((sum, offset) => sum + offset.lag, 0) }
        }),
      ),
    )
  })
  router.get('/groups/:id', async (req, res) => {
    res.json(await log.describeGroup(req.params.id))
  })
  return router
}
