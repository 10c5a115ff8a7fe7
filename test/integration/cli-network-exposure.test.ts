/**
 * `tributary run` on a non-loopback address without authentication (issue row 13): a real worker
 * process refuses to start and says which flags open the way; with --insecure-no-auth it starts and
 * warns; with a token it starts quietly and its API needs the token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../support/worker-process.ts'

let dir: { path: string; remove: () => Promise<void> }
let worker: WorkerProcess | undefined

beforeEach(async () => {
  dir = await makeTempDir('tributary-exposure-')
})
afterEach(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  worker = undefined
  await dir.remove()
})

describe('tributary run on every interface', () => {
  it('refuses to start without a REST token, naming --rest-auth-token and --insecure-no-auth', async () => {
    const started = spawnWorker(dir.path, `${dir.path}/data`, { TRIBUTARY_REST_HOST: '0.0.0.0' })
    await expect(started).rejects.toThrow(
      /refusing to start open to the network: the REST API on 0\.0\.0\.0 has no token \(set --rest-auth-token or TRIBUTARY_REST_AUTH_TOKEN, or --tls-client-ca\).*--insecure-no-auth/,
    )
  })

  it('starts with --insecure-no-auth and warns, and starts with a token that its API then needs', async () => {
    worker = await spawnWorker(dir.path, `${dir.path}/data`, { TRIBUTARY_REST_HOST: '0.0.0.0', TRIBUTARY_INSECURE_NO_AUTH: 'true' })
    expect(worker.stdout()).toContain('INSECURE: --insecure-no-auth is set')
    worker.child.kill('SIGTERM')
    await worker.exited
    worker = await spawnWorker(dir.path, `${dir.path}/data`, {
      TRIBUTARY_REST_HOST: '0.0.0.0',
      TRIBUTARY_REST_AUTH_TOKEN: 'network-secret',
    })
    expect(worker.stdout()).not.toContain('INSECURE')
    const port = new URL(worker.url).port
    expect((await fetch(`http://127.0.0.1:${port}/connectors`)).status).toBe(401)
    expect((await fetch(`http://127.0.0.1:${port}/connectors`, { headers: { authorization: 'Bearer network-secret' } })).status).toBe(200)
  })
})
