/**
 * SASL/SCRAM-SHA-256 and -512 beside PLAIN on a real worker process whose users come from a users
 * file that `tributary users add` wrote: the file holds salted credentials only, and kafkajs and
 * kcat (librdkafka) authenticate with each mechanism; a wrong password and an unknown user fail alike.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Kafka, logLevel, type SASLOptions } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../support/free-port.ts'
import { kcatConsume, kcatProduce } from '../../support/kafka-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

const bin = path.resolve(import.meta.dirname, '../../../bin/tributary.cjs')
const PASSWORD = 'c0rrect-h0rse-battery'

function usersCli(args: readonly string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, 'users', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' },
  })
}

let dir: { path: string; remove: () => Promise<void> }
let usersFile: string
let worker: WorkerProcess

beforeAll(async () => {
  dir = await makeTempDir('tributary-scram-')
  usersFile = path.join(dir.path, 'kafka-users.json')
  fs.mkdirSync(path.join(dir.path, 'config'))
})

afterAll(async () => {
  if (worker) {
    worker.child.kill('SIGKILL')
    await worker.exited
  }
  await dir?.remove()
})

describe('tributary users', () => {
  it('adds users to a 0600 file that holds no password, lists and removes them', () => {
    expect(usersCli(['add', 'alice', '--file', usersFile], `${PASSWORD}\n`)).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('added alice'),
    })
    expect(usersCli(['add', 'bob', '--file', usersFile], 'other-password\n').status).toBe(0)
    expect(usersCli(['add', 'carol', '--file', usersFile], 'third\n').status).toBe(0)
    expect(usersCli(['remove', 'carol', '--file', usersFile]).status).toBe(0)
    expect(usersCli(['list', '--file', usersFile, '--json']).stdout).toBe('[\n  "alice",\n  "bob"\n]\n')
    expect(fs.statSync(usersFile).mode & 0o777).toBe(0o600)
    const text = fs.readFileSync(usersFile, 'utf8')
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'))
    expect(Object.keys((JSON.parse(text) as { users: Record<string, object> }).users.alice ?? {})).toEqual([
      'SCRAM-SHA-256',
      'SCRAM-SHA-512',
    ])
    expect(usersCli(['remove', 'nobody', '--file', usersFile]).status).toBe(4)
    expect(usersCli(['add', 'dave', '--file', usersFile, '--iterations', '10'], 'x\n').status).toBe(2)
  })
})

describe('a worker with a users file', () => {
  beforeAll(async () => {
    worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
      TRIBUTARY_KAFKA_USERS_FILE: usersFile,
      TRIBUTARY_KAFKA_PORT: String(await freePort()),
    })
  })

  const client = (sasl: SASLOptions) =>
    new Kafka({ brokers: [worker.kafkaAddress ?? ''], sasl, connectionTimeout: 5_000, retry: { retries: 0 }, logLevel: logLevel.NOTHING })

  for (const mechanism of ['scram-sha-256', 'scram-sha-512'] as const) {
    it(`kafkajs writes and reads with ${mechanism}`, async () => {
      const kafka = client({ mechanism, username: 'alice', password: PASSWORD })
      const topic = `scram-${mechanism}`
      const producer = kafka.producer()
      await producer.connect()
      await producer.send({ topic, messages: [{ key: 'k', value: mechanism }] })
      await producer.disconnect()
      const consumer = kafka.consumer({ groupId: `readers-${mechanism}` })
      await consumer.connect()
      await consumer.subscribe({ topic, fromBeginning: true })
      const value = await new Promise<string>(
        (resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }),
      )
      await consumer.disconnect()
      expect(value).toBe(mechanism)
    })
  }

  it('a wrong password and an unknown user get the same refusal', async () => {
    const refusal = async (username: string, password: string) => {
      const admin = client({ mechanism: 'scram-sha-512', username, password }).admin()
      try {
        await admin.connect()
        return 'connected'
      } catch (error) {
        return (error as Error).message
      } finally {
        await admin.disconnect()
      }
    }
    const wrong = await refusal('alice', 'not-it')
    expect(wrong).toContain('invalid credentials with SASL mechanism SCRAM-SHA-512')
    expect(await refusal('mallory', 'not-it')).toBe(wrong)
  })

  it('kcat authenticates with SCRAM-SHA-512 and with PLAIN against the same salted user', async () => {
    const bootstrap = worker.kafkaAddress ?? ''
    const as = (mechanism: string) => [
      '-X',
      'security.protocol=sasl_plaintext',
      '-X',
      `sasl.mechanisms=${mechanism}`,
      '-X',
      'sasl.username=bob',
      '-X',
      'sasl.password=other-password',
    ]
    await kcatProduce(bootstrap, 'scram-kcat', [{ key: 'a', value: 'scram' }], as('SCRAM-SHA-512'))
    await kcatProduce(bootstrap, 'scram-kcat', [{ key: 'b', value: 'plain' }], as('PLAIN'))
    expect((await kcatConsume(bootstrap, 'scram-kcat', 2, as('SCRAM-SHA-256'))).map((r) => r.value).sort()).toEqual(['plain', 'scram'])
    const wrong = [
      '-X',
      'security.protocol=sasl_plaintext',
      '-X',
      'sasl.mechanisms=SCRAM-SHA-256',
      '-X',
      'sasl.username=bob',
      '-X',
      'sasl.password=nope',
      '-X',
      'message.timeout.ms=3000',
    ]
    await expect(kcatProduce(bootstrap, 'scram-kcat', [{ key: 'c', value: 'never' }], wrong)).rejects.toThrow()
  })
})
