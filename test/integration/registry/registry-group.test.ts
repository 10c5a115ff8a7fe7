/**
 * The Schema Registry in a worker group: two workers on one Kafka cluster, each serving a registry
 * port, share `_schemas`. Writes made at either go to the one writer the group chose, so schemas
 * registered at both at once get distinct ids and versions, and both answer with the same ids. When
 * the writer is killed, the survivor becomes the writer and registers on from the highest id.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegistryClient } from '../../../core/registry/registry-client.ts'
import { freePort } from '../../support/free-port.ts'
import { startKafkaCluster, type KafkaCluster } from '../../support/kafka-cluster.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let cluster: KafkaCluster
const workers: WorkerProcess[] = []

beforeAll(async () => {
  dir = await makeTempDir('tributary-registry-group-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  cluster = await startKafkaCluster()
  for (let i = 0; i < 2; i++) {
    workers.push(
      await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, `unused-${i}`), {
        ...cluster.clientEnv,
        TRIBUTARY_GROUP_ID: 'registry-group',
        TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: '3000',
        TRIBUTARY_SCHEMA_REGISTRY_PORT: String(await freePort()),
      }),
    )
  }
}, 60_000)

afterAll(async () => {
  for (const worker of workers) {
    worker.child.kill('SIGKILL')
    await worker.exited
  }
  await cluster?.stop()
  await dir?.remove()
})

const registryOf = (worker: WorkerProcess) => new RegistryClient({ url: worker.registryUrl as string })
const record = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'id', type: 'long' }] })

describe('the Schema Registry of a worker group', () => {
  it('gives distinct ids to schemas registered at either worker at once, and both answer alike', async () => {
    const [a, b] = workers.map(registryOf) as [RegistryClient, RegistryClient]
    // Until the group has named its writer, writes are refused with 50003 (retriable).
    await eventually(
      () =>
        a.register('warmup-value', { schema: record('Warmup') }).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
      30_000,
    )
    const registered = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).register(`s${i}-value`, { schema: record(`R${i}`) })),
    )
    expect(new Set(registered.map((r) => r.id)).size).toBe(10)
    expect(registered.every((r) => r.version === 1)).toBe(true)
    // Ten versions of one subject, alternating between the workers, come out 1..10 in order.
    const versions: number[] = []
    for (let i = 0; i < 10; i++)
      versions.push(
        (
          await (i % 2 === 0 ? a : b).register('shared-value', {
            schema: JSON.stringify({
              type: 'record',
              name: 'Shared',
              fields: Array.from({ length: i + 1 }, (_, f) => ({ name: `f${f}`, type: 'long', default: 0 })),
            }),
          })
        ).version,
      )
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    for (let i = 0; i < 10; i++) {
      expect(await b.lookup(`s${i}-value`, { schema: record(`R${i}`) })).toMatchObject({ id: registered[i]?.id })
      expect(await a.lookup(`s${i}-value`, { schema: record(`R${i}`) })).toMatchObject({ id: registered[i]?.id })
    }
    expect(await a.subjects()).toEqual(await b.subjects())
  })

  it('goes on at the survivor when the writer is killed, from the highest id', async () => {
    const highest = Math.max(
      ...(await Promise.all(
        (await registryOf(workers[0]!).subjects()).map(async (subject) => (await registryOf(workers[0]!).version(subject, 'latest')).id),
      )),
    )
    const victim = workers.shift() as WorkerProcess
    victim.child.kill('SIGKILL')
    await victim.exited
    const survivor = registryOf(workers[0]!)
    const next = await eventually(
      () => survivor.register('after-value', { schema: record('After') }).catch(() => undefined),
      (r) => r !== undefined,
      30_000,
    )
    expect(next?.id).toBe(highest + 1)
  })
})
