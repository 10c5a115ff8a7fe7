/**
 * `GET /ui`: the dashboard's built files (ui/, built by `npm run build:ui` into dist/ui). Mounted
 * before the bearer-token check: the files hold no data, and the page itself sends the token with
 * each API call it makes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { Router } from 'express'
import { TributaryError } from '../../errors.ts'

export function dashboardRoutes(dir: string): Router {
  const router = Router()
  const assets = path.join(dir, 'assets') + path.sep
  router.use(
    '/ui',
    express.static(dir, {
      // Vite puts a content hash in every asset's name; only index.html may change under the same name.
      setHeaders: (res, file) => res.set('Cache-Control', file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  )
  router.use('/ui', (req, res) => {
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      throw new TributaryError('TRB_DASHBOARD_NOT_BUILT', `the dashboard is not built in ${dir}: run npm run build:ui`)
    }
    res.status(404).json({ error_code: 404, message: `no route for ${req.method} ${req.baseUrl}${req.path}` })
  })
  return router
}

/** dist/ui under the package root, found by walking up: this file runs from core/api/ or, compiled, from dist/core/api/. */
export function builtDashboardDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return path.join(dir, 'dist', 'ui')
}
