/**
 * `tributary schemas` against a real worker's built-in Schema Registry, on its own port and behind
 * the REST token: register, list, get, check and delete as a user would from the shell, with
 * Confluent's error codes and the CLI's exit codes when something is wrong.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/free-port.ts'
import { makeTempDir } from '../support/temp-dir.ts'
import { tributaryCli } from '../support/tributary-cli.ts'
import { spawnWorker, type WorkerProcess } from '../support/worker-process.ts'

const TOKEN = 'schemas-cli-token'
let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess
let registry: string

beforeAll(async () => {
  dir = await makeTempDir('tributary-cli-schemas-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
    TRIBUTARY_SCHEMA_REGISTRY_PORT: String(await freePort()),
    TRIBUTARY_REST_AUTH_TOKEN: TOKEN,
  })
  if (worker.registryUrl === undefined) throw new Error(`the worker printed no registry URL: ${worker.stdout()}`)
  registry = worker.registryUrl
}, 60_000)
afterAll(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  await dir?.remove()
})

const schemas = async (...args: string[]) => (await tributaryCli(['schemas', ...args, '--registry', registry, '--token', TOKEN])).stdout
const failing = (...args: string[]) =>
  tributaryCli(['schemas', ...args, '--registry', registry, '--token', TOKEN]).then(
    () => expect.unreachable('the command succeeded'),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )

function file(name: string, content: unknown): string {
  const written = path.join(dir.path, name)
  fs.writeFileSync(written, typeof content === 'string' ? content : JSON.stringify(content))
  return written
}

const order = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'long' }] }
const withNote = { ...order, fields: [...order.fields, { name: 'note', type: ['null', 'string'], default: null }] }
const withCurrency = { ...order, fields: [...order.fields, { name: 'currency', type: 'string' }] }

describe('tributary schemas', () => {
  it("registers, lists, gets, checks and deletes a subject's schemas", async () => {
    const first = Number((await schemas('register', 'orders-value', file('order.avsc', order))).trim())
    expect(first).toBeGreaterThan(0)
    // The same schema again is the same id; a compatible change is a new one.
    expect(Number(await schemas('register', 'orders-value', file('order-again.avsc', order)))).toBe(first)
    const second = Number(await schemas('register', 'orders-value', file('order-note.avsc', withNote)))
    expect(second).not.toBe(first)
    const item = Number(
      await schemas('register', 'items-value', file('item.json', { type: 'object', properties: { sku: { type: 'string' } } })),
    )

    expect((await schemas('list')).split('\n')).toEqual(['items-value', 'orders-value', ''])
    expect(JSON.parse(await schemas('list', '--prefix', 'orders', '--json'))).toEqual(['orders-value'])

    const latest = await schemas('get', 'orders-value')
    expect(latest).toContain('subject  orders-value\nversion  2\n')
    expect(latest).toContain(`id       ${second}\ntype     AVRO\n\n`)
    expect(latest).toContain(JSON.stringify(JSON.parse(latest.split('\n\n')[1] as string), null, 2))
    expect(JSON.parse(latest.split('\n\n')[1] as string)).toMatchObject({ name: 'Order', fields: [{ name: 'id' }, { name: 'note' }] })
    expect(JSON.parse(await schemas('get', 'orders-value', '1', '--json'))).toMatchObject({
      subject: 'orders-value',
      version: 1,
      id: first,
      schemaType: 'AVRO',
    })
    const byId = await schemas('get', '--id', String(item))
    expect(byId).toMatch(/^id +\d+\ntype +JSON\nsubjects +items-value v1\n\n\{\n {2}"type": "object"/)

    expect(await schemas('check', 'orders-value', file('order-note-2.avsc', withNote))).toBe('compatible\n')
    const refused = await failing('check', 'orders-value', file('order-currency.avsc', withCurrency))
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/^incompatible:\n {2}- .*currency/)
    const conflict = await failing('register', 'orders-value', file('order-currency-2.avsc', withCurrency))
    expect(conflict.code).toBe(1)
    expect(conflict.stderr).toMatch(/^tributary: error 409: /)

    expect(await schemas('delete', 'orders-value', '2')).toBe('deleted orders-value version 2\n')
    expect(JSON.parse(await schemas('get', 'orders-value', '--json'))).toMatchObject({ version: 1 })
    expect(await schemas('delete', 'items-value')).toBe('deleted items-value (version 1)\n')
    expect(await schemas('list')).toBe('orders-value\n')
    expect(await schemas('list', '--deleted')).toBe('items-value\norders-value\n')
    expect(await schemas('delete', 'items-value', '--permanent')).toBe('permanently deleted items-value (version 1)\n')
    expect(await schemas('list', '--deleted')).toBe('orders-value\n')
  }, 180_000) // some twenty runs of the CLI, each a new Node process

  it('takes the registry and the token from the environment', async () => {
    const { stdout } = await tributaryCli(['schemas', 'list', '--prefix', 'orders'], {
      TRIBUTARY_SCHEMA_REGISTRY_URL: registry,
      TRIBUTARY_REST_AUTH_TOKEN: TOKEN,
    })
    expect(stdout).toBe('orders-value\n')
  })

  it("prints Confluent's code and message, with the CLI's exit codes", async () => {
    const missing = await failing('get', 'nothing-value')
    expect(missing.code).toBe(4)
    expect(missing.stderr).toBe("tributary: error 40401: Subject 'nothing-value' not found.\n")
    expect((await failing('get', '--id', '9999')).stderr).toMatch(/^tributary: error 40403: /)
    const invalid = await failing('register', 'broken-value', file('broken.avsc', { type: 'record', name: 'Broken' }))
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(/^tributary: error 42201: /)

    const unauthorized = await tributaryCli(['schemas', 'list', '--registry', registry]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(unauthorized).toMatchObject({ code: 1, stderr: expect.stringMatching(/^tributary: error 401: missing or wrong credentials/) })
    const unreachable = await tributaryCli(['schemas', 'list', '--registry', `http://127.0.0.1:${await freePort()}`]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(unreachable).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/^tributary: the schema registry at http:\/\/127\.0\.0\.1:\d+ did not answer/),
    })

    expect((await failing('register', 'orders-value', file('order.txt', order))).code).toBe(2)
    expect((await failing('get', 'orders-value', 'two')).code).toBe(2)
    expect((await failing('rename', 'orders-value')).code).toBe(2)
    expect((await failing('register', 'orders-value', path.join(dir.path, 'absent.avsc'))).code).toBe(4)
  })
})
