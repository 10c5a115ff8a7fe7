/**
 * The compacted store under every internal topic and under a connector's own store (openStore), on
 * the log the run is for (the embedded one, or KafkaLog on the test worker's cluster in the projects
 * on-kafka and real-kafka): records that do not parse or do not fit are reported with topic,
 * partition, offset and reason, never their value, and skipped on open and on a later catchUp,
 * leaving each key its last good value.
 */
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { Log } from '../../../core/log/log.ts'
import { CompactedStore } from '../../../core/log/compacted-store.ts'
import { ConfigStore } from '../../../core/runtime/config-store.ts'
import { storageTopics } from '../../../core/runtime/storage-topics.ts'
import { emptiedClusterOfWorker } from '../../support/cluster-of-worker.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function openLog(): Promise<Log> {
  if (process.env.TRB_TEST_LOG === 'kafka' || process.env.TRB_TEST_LOG === 'real-kafka') {
    const cluster = (await emptiedClusterOfWorker())!
    cleanups.push(() => cluster.stop())
    const log = await KafkaLog.connect({ brokers: cluster.brokers, sasl: cluster.sasl, clientId: 'bad-records-test' })
    cleanups.push(() => log.close())
    return log
  }
  const dir = await makeTempDir()
  cleanups.push(() => dir.remove())
  const log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  cleanups.push(() => log.close())
  return log
}

function capturingLogger() {
  const entries: Array<Record<string, unknown>> = []
  const text: string[] = []
  const logger = pino(
    { level: 'warn' },
    {
      write: (line: string) => {
        text.push(line)
        entries.push(JSON.parse(line) as Record<string, unknown>)
      },
    },
  )
  return { logger, entries, text }
}

/** A configs topic of this file's own: on a shared cluster another test's may still be being deleted. */
const CONFIGS = storageTopics(`_tributary-bad-records-${process.pid}-`).configs

const record = (key: string, value: string) => ({ key: Buffer.from(key), value: Buffer.from(value), partition: 0 })

describe('a compacted store reading bad records', () => {
  it("skips a value that is not JSON, on open and on catchUp, and keeps the key's last good value", async () => {
    const log = await openLog()
    const writer = await CompactedStore.open<{ n: number }>(log, 'app.history')
    await writer.write([
      ['a', { n: 1 }],
      ['b', { n: 2 }],
    ])
    const [first] = await log.append('app.history', [record('a', 'password=s3cret'), record('c', '{"n":3}')])

    const { logger, entries, text } = capturingLogger()
    const store = await CompactedStore.open<{ n: number }>(log, 'app.history', { logger })
    expect([...store.entries()]).toEqual([
      ['a', { n: 1 }],
      ['b', { n: 2 }],
      ['c', { n: 3 }],
    ])
    expect(entries).toMatchObject([
      { level: 40, topic: 'app.history', partition: 0, offset: first!.offset, key: 'a', reason: 'the value is not JSON' },
    ])

    const [second] = await log.append('app.history', [record('b', '{"n":'), record('d', '{"n":4}')])
    expect(await store.catchUp()).toEqual(['d'])
    expect(store.get('b')).toEqual({ n: 2 })
    expect(entries.map((e) => e.offset)).toEqual([first!.offset, second!.offset])
    expect(text.join('')).not.toContain('s3cret')
  })

  it('skips config records of an unknown key or the wrong shape; the good connectors load', async () => {
    const log = await openLog()
    const configs = await ConfigStore.open(log, CONFIGS)
    await configs.put('good', { 'connector.class': 'file-sink', topics: 't', file: 'out.jsonl' }, { targetState: 'PAUSED' })
    await log.append(CONFIGS, [
      record('connector-good', '{"properties":{"file":["a"]}}'),
      record('target-state-good', '"STARTED"'),
      record('connector-bad', 'null'),
      record('something-else', '{}'),
    ])
    const reopened = await ConfigStore.open(log, CONFIGS)
    expect(reopened.connectors()).toEqual([
      {
        name: 'good',
        config: { 'connector.class': 'file-sink', topics: 't', file: 'out.jsonl' },
        targetState: 'PAUSED',
        pipelineFile: undefined,
      },
    ])
  })
})
