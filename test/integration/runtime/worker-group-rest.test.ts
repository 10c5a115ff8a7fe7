/**
 * Two workers of one group, each with its REST API: a request about work the other worker runs is
 * forwarded there (task and connector restarts, webhooks), offsets of a stopped connector change
 * through either worker, and a forwarded copy (`forward=false`) that reaches the wrong worker is refused.
 * On the embedded log the in-process coordinator runs the group; with TRB_TEST_LOG=kafka the test
 * worker's Kafka cluster (a Tributary listener in a second process) does, as in production.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApi, startApi } from '../../../core/api/server.ts'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { Log } from '../../../core/log/log.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { Sandbox } from '../../../core/runtime/sandbox.ts'
import type { Herder } from '../../../core/runtime/herder.ts'
import { defaultGroupSettings } from '../../../core/runtime/worker-group.ts'
import { builtinPlugins } from '../../../connectors/index.ts'
import { emptiedClusterOfWorker } from '../../support/cluster-of-worker.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import type { RestJson } from '../../support/rest-json.ts'

const TOKEN = 'group-secret'
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface RestWorker {
  readonly id: string
  readonly worker: Herder
  request(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: RestJson }>
}

/** `files`: the test's directory, where its file connectors read. */
async function restWorker(log: Log, files: string): Promise<RestWorker> {
  const worker = await createWorker({
    log,
    plugins: builtinPlugins,
    workerId: 'unjoined',
    group: { ...defaultGroupSettings('rest-workers', 1_000), rebalanceTimeoutMs: 5_000 },
    sandbox: new Sandbox({ files: { allowed: [files] } }),
  })
  const api = await startApi(
    createApi({ log, herder: worker, health: { version: 'test', isReady: () => true }, authToken: TOKEN }),
    0,
    '127.0.0.1',
  )
  const id = `127.0.0.1:${api.port}`
  cleanups.push(async () => {
    await worker.close()
    await api.close()
  })
  await worker.joinGroup(id)
  return {
    id,
    worker,
    async request(method, route, body, headers = { authorization: `Bearer ${TOKEN}` }) {
      const response = await fetch(`http://${id}${route}`, {
        method,
        headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
    },
  }
}

async function openLogs(dataDir: string): Promise<[Log, Log]> {
  if (process.env.TRB_TEST_LOG !== 'kafka') {
    const log = await EmbeddedLog.open({ dataDir, maintenanceIntervalMs: 0 })
    cleanups.push(() => log.close())
    return [log, log]
  }
  const cluster = (await emptiedClusterOfWorker())!
  cleanups.push(() => cluster.stop())
  const logs = await Promise.all(
    ['a', 'b'].map((id) => KafkaLog.connect({ brokers: cluster.brokers, sasl: cluster.sasl, clientId: `worker-${id}` })),
  )
  cleanups.push(async () => {
    await Promise.all(logs.map((log) => log.close()))
  })
  return [logs[0] as Log, logs[1] as Log]
}

describe('a worker group behind its REST APIs', () => {
  it("forwards restarts and webhooks to the worker that runs the work, and edits a stopped connector's offsets through any worker", async () => {
    const dir = await makeTempDir()
    cleanups.push(() => dir.remove())
    const [logA, logB] = await openLogs(path.join(dir.path, 'data'))
    const a = await restWorker(logA, dir.path)
    const b = await restWorker(logB, dir.path)
    const workers = [a, b]

    // Two file sources whose files are directories: their tasks fail at once, one on each worker.
    const files = { one: path.join(dir.path, 'one.txt'), two: path.join(dir.path, 'two.txt') }
    for (const [name, file] of Object.entries(files)) {
      fs.mkdirSync(file)
      const created = await a.request('POST', '/connectors', {
        name,
        config: { 'connector.class': 'file-source', file, topic: `lines-${name}`, 'restart.max.attempts': '0' },
      })
      expect(created.status).toBe(201)
    }
    const taskOf = async (via: RestWorker, name: string) => (await via.request('GET', `/connectors/${name}/status`)).body.tasks[0]
    // Both failed, one on each worker (until the second rebalance settles, a status may still name the old worker).
    const failed = await eventually(
      async () => Promise.all(['one', 'two'].map((name) => taskOf(a, name))),
      (tasks) => tasks.every((task) => task?.state === 'FAILED') && tasks[0].worker_id !== tasks[1].worker_id,
    )
    expect(new Set(failed.map((task) => task.worker_id))).toEqual(new Set([a.id, b.id]))
    const runnerOf = (name: string) => (failed[name === 'one' ? 0 : 1].worker_id === a.id ? a : b)
    const otherThan = (worker: RestWorker) => (worker === a ? b : a)

    // A task restart sent to the worker that does not run it is carried out by the one that does.
    fs.rmdirSync(files.one)
    fs.writeFileSync(files.one, 'first\n')
    const oneRunner = runnerOf('one')
    expect((await otherThan(oneRunner).request('POST', '/connectors/one/tasks/0/restart')).status).toBe(204)
    await eventually(
      () => taskOf(a, 'one'),
      (task) => task?.state === 'RUNNING' && task.worker_id === oneRunner.id,
    )

    // So is a connector restart with its failed tasks; without the token it is refused where it arrives.
    fs.rmdirSync(files.two)
    fs.writeFileSync(files.two, 'second\n')
    const twoRunner = runnerOf('two')
    expect(
      (await otherThan(twoRunner).request('POST', '/connectors/two/restart?includeTasks=true&onlyFailed=true', undefined, {})).status,
    ).toBe(401)
    const restarted = await otherThan(twoRunner).request('POST', '/connectors/two/restart?includeTasks=true&onlyFailed=true')
    expect(restarted.status).toBe(202)
    await eventually(
      () => taskOf(b, 'two'),
      (task) => task?.state === 'RUNNING' && task.worker_id === twoRunner.id,
    )

    // A forwarded copy that reaches a worker which does not run the task is refused, not sent round.
    const misrouted = await otherThan(oneRunner).request('POST', '/connectors/one/tasks/0/restart?forward=false')
    expect(misrouted).toEqual({
      status: 409,
      body: { error_code: 409, message: 'Connector one: task 0 runs on another worker of the group' },
    })

    // Offsets of a stopped connector change through the worker that did not run it.
    await eventually(
      async () => (await a.request('GET', '/connectors/one/offsets')).body.offsets,
      (offsets) => offsets.length === 1 && offsets[0].offset.position === 6,
    )
    expect((await a.request('PUT', '/connectors/one/stop')).status).toBe(204)
    const editor = otherThan(oneRunner)
    await eventually(
      async () => (await editor.request('GET', '/connectors/one/status')).body.connector.state,
      (state) => state === 'STOPPED',
    )
    const reset = await editor.request('DELETE', '/connectors/one/offsets')
    expect(reset).toEqual({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } })
    expect((await oneRunner.request('GET', '/connectors/one/offsets')).body).toEqual({ offsets: [] })

    // A webhook sent to the worker without the connector's task reaches the task on the other, also
    // when it came from that worker's own origin (the dashboard): the origin was checked where it arrived.
    expect(
      (await a.request('POST', '/connectors', { name: 'hook', config: { 'connector.class': 'http-source', topic: 'hooks' } })).status,
    ).toBe(201)
    const hookTask = await eventually(
      () => taskOf(a, 'hook'),
      (task) => task?.state === 'RUNNING',
    )
    const hookRunner = workers.find((worker) => worker.id === hookTask.worker_id) as RestWorker
    const receiver = otherThan(hookRunner)
    // 503 means send again (http-source's contract): the task may still be opening its ingress.
    const sent = await eventually(
      () => receiver.request('POST', '/ingest/hook', { order: 7 }, { authorization: `Bearer ${TOKEN}`, origin: `http://${receiver.id}` }),
      (answer) => answer.status !== 503,
    )
    expect(sent.status).toBe(200)
    const stored = await hookRunner.worker.log.read('hooks', 0, 0)
    expect(stored.records.map((record) => JSON.parse(record.value?.toString() ?? 'null'))).toEqual([{ order: 7 }])

    // A status that names a worker outside the group (stale, or written by someone else) is not
    // followed: the request is refused at once instead of going to that address.
    const forged = { state: 'RUNNING', trace: null, worker_id: '127.0.0.1:9', generation: 0 }
    await hookRunner.worker.log.append('_tributary-status', [
      { key: Buffer.from('status-task-hook-0'), value: Buffer.from(JSON.stringify(forged)), partition: 0 },
    ])
    const asker = otherThan(hookRunner)
    await eventually(
      () => taskOf(asker, 'hook'),
      (task) => task?.worker_id === forged.worker_id,
    )
    const refused = await asker.request('POST', '/connectors/hook/tasks/0/restart')
    expect(refused).toEqual({
      status: 409,
      body: { error_code: 409, message: 'Connector hook: task 0 runs on another worker of the group' },
    })
  })
})
