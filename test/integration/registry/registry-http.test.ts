/**
 * Confluent's answers to bad requests on the registry's port: each is a 4xx with Confluent's
 * `{ error_code, message }` and content type, and none changes what the registry holds.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi, type RunningApi } from '../../../core/api/server.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { createLogger } from '../../../core/logger.ts'
import { schemaFormats } from '../../../core/registry/formats/index.ts'
import { createRegistryApp } from '../../../core/registry/http/registry-server.ts'
import { StoredRegistry } from '../../../core/registry/stored-registry.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import type { RestJson } from '../../support/rest-json.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let server: RunningApi
let base: string

beforeAll(async () => {
  dir = await makeTempDir('tributary-registry-http-')
  log = await EmbeddedLog.open({ dataDir: path.join(dir.path, 'data') })
  server = await startApi(
    createRegistryApp({ registry: await StoredRegistry.open(log, { formats: schemaFormats }), logger: createLogger('schema-registry') }),
    0,
    '127.0.0.1',
  )
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server?.close()
  await log?.close()
  await dir?.remove()
})

async function call(
  method: string,
  route: string,
  body?: string,
  type = 'application/vnd.schemaregistry.v1+json',
): Promise<{ status: number; type: string | null; body: RestJson }> {
  const response = await fetch(`${base}${route}`, { method, headers: { 'content-type': type }, ...(body !== undefined && { body }) })
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json().catch(() => null) }
}

describe('the registry port with bad requests', () => {
  it("answers each with Confluent's status and error code, and registers nothing", async () => {
    const cases: Array<[string, string, string | undefined, number, number]> = [
      ['POST', '/subjects/a-value/versions', '{"schema": "{\\"type\\": \\"nosuch\\"}"}', 422, 42201],
      ['POST', '/subjects/a-value/versions', '{"schema": 12}', 422, 42201],
      ['POST', '/subjects/a-value/versions', '{"schema": "\\"string\\"", "schemaType": "XML"}', 422, 42201],
      ['POST', '/subjects/a-value/versions', '{"schema": "\\"string\\"", "references": [{"name": 1}]}', 422, 42201],
      ['POST', '/subjects/a-value/versions', '{not json', 400, 400],
      ['POST', '/subjects/a-value/versions', '[]', 422, 42207],
      ['GET', '/subjects/a-value/versions/abc', undefined, 422, 42202],
      ['GET', '/subjects/a-value/versions/0', undefined, 422, 42202],
      ['GET', '/subjects/a-value/versions/1', undefined, 404, 40401],
      ['GET', '/schemas/ids/x', undefined, 404, 40403],
      ['PUT', '/config', '{"compatibility": "SOMETIMES"}', 422, 42203],
      ['PUT', '/mode', '{"mode": "SLEEPY"}', 422, 42204],
      ['GET', '/no/such/route', undefined, 404, 404],
    ]
    for (const [method, route, body, status, code] of cases) {
      const answer = await call(method, route, body)
      expect([answer.status, answer.body?.error_code], `${method} ${route} ${body ?? ''}`).toEqual([status, code])
      expect(typeof answer.body?.message).toBe('string')
      expect(answer.type).toContain('application/vnd.schemaregistry.v1+json')
    }
    expect((await call('GET', '/subjects')).body).toEqual([])
  })

  it("takes the content types Confluent's clients send, and refuses a body nested past 1,000 levels", async () => {
    for (const type of [
      'application/vnd.schemaregistry.v1+json',
      'application/vnd.schemaregistry+json',
      'application/json',
      'application/octet-stream',
    ]) {
      expect((await call('POST', '/subjects/t-value/versions', '{"schema": "\\"string\\""}', type)).body, type).toMatchObject({ id: 1 })
    }
    const deep = `{"schema": "\\"string\\"", "x": ${'['.repeat(1500)}${']'.repeat(1500)}}`
    expect((await call('POST', '/subjects/deep-value/versions', deep)).status).toBe(400)
    expect((await call('GET', '/subjects')).body).toEqual(['t-value'])
  })
})
