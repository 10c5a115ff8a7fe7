/**
 * Issue row 14: `${VAR}` in pipeline files reads only what --env-allowlist matches, and never the
 * worker's own credentials. A real worker process with a REST token and secrets in its environment:
 * a pipeline that reads an allowed variable runs; one that reads another, or the token, is refused at
 * reload with its file, line and key, and the running config is unchanged. Configs sent over REST
 * are never interpolated, so a caller cannot read the environment through them.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'
import type { RestJson } from '../../support/rest-json.ts'

const TOKEN = 'rest-token-5e1f'
let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess | undefined

beforeEach(async () => {
  dir = await makeTempDir('tributary-pipeline-env-')
  fs.mkdirSync(path.join(dir.path, 'config'))
})
afterEach(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  worker = undefined
  await dir.remove()
})

function writePipeline(value: string): void {
  fs.writeFileSync(
    path.join(dir.path, 'config', 'tagged.yaml'),
    [
      'version: 1',
      'pipeline: tagged',
      'topic: { name: tagged.events }',
      'sources:',
      '  - id: in',
      '    type: http-source',
      '    transforms: [tag]',
      '    with: { mode: webhook }',
      'transforms:',
      '  - id: tag',
      '    type: insert-field',
      '    with:',
      '      static.field: tag',
      `      static.value: "${value}"`,
      '',
    ].join('\n'),
  )
}

async function request(method: string, route: string, body?: unknown): Promise<{ status: number; body: RestJson; text: string }> {
  const response = await fetch(`${worker?.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), text }
}

describe('environment variables in pipeline files', () => {
  it("reads only what --env-allowlist matches, and never the worker's own credentials", async () => {
    writePipeline('${APP_TAG}')
    worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
      APP_TAG: 'blue',
      DB_PASSWORD_ENV: 'hunter2',
      TRIBUTARY_REST_AUTH_TOKEN: TOKEN,
      TRIBUTARY_LOG_SASL_PLAIN: 'admin:cluster-secret',
      TRIBUTARY_ENV_ALLOWLIST: 'APP_.*|TRIBUTARY_.*',
    })
    const tagOf = async () => (await request('GET', '/connectors/tagged.in/config')).body['transforms.tag.static.value']
    expect(await tagOf()).toBe('blue')

    writePipeline('${DB_PASSWORD_ENV}')
    const outside = await request('POST', '/pipelines/reload')
    expect(outside.status).toBe(400)
    expect(outside.body.message).toMatch(
      /tagged\.yaml:14:\d+ transforms\[0\]\.with\.static\.value: environment variable DB_PASSWORD_ENV .*--env-allowlist/,
    )
    expect(outside.text).not.toContain('hunter2')

    // The pattern matches these names, but the worker's credentials are never read.
    for (const name of ['TRIBUTARY_REST_AUTH_TOKEN', 'TRIBUTARY_LOG_SASL_PLAIN']) {
      writePipeline(`\${${name}:-none}`)
      const own = await request('POST', '/pipelines/reload')
      expect(own.status).toBe(400)
      expect(own.body.message).toContain(`environment variable ${name} holds one of the worker's own credentials`)
      expect(own.text).not.toContain(TOKEN)
      expect(own.text).not.toContain('cluster-secret')
    }
    expect(await tagOf()).toBe('blue')

    // REST-submitted configs are taken as written: nothing reads the worker's environment into them.
    const created = await request('POST', '/connectors', {
      name: 'by-hand',
      config: {
        'connector.class': 'http-source',
        topic: 'manual',
        transforms: 't',
        'transforms.t.type': 'insert-field',
        'transforms.t.static.field': 'x',
        'transforms.t.static.value': '${DB_PASSWORD_ENV}',
      },
    })
    expect(created.status).toBe(201)
    expect((await request('GET', '/connectors/by-hand/config')).body['transforms.t.static.value']).toBe('${DB_PASSWORD_ENV}')
    const plan = await request('POST', '/pipelines/plan', {
      connectors: [
        {
          name: 'by-hand',
          file: 'x.yaml',
          config: { 'connector.class': 'http-source', topic: 'manual', 'transforms.t.static.value': '${DB_PASSWORD_ENV}' },
        },
      ],
    })
    expect(plan.status).toBe(200)
    expect(plan.text).not.toContain('hunter2')
    expect(worker.stdout() + worker.stderr()).not.toContain('hunter2')
  })
})
