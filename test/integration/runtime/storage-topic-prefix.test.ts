/**
 * Two worker groups on one log, each with its own storage topic prefix (--storage-topic-prefix), as
 * two Kafka Connect clusters share one Kafka cluster with their own storage topics: neither sees or
 * runs the other's connectors, a restart finds each group's own, and browsing the other group's
 * configs topic over REST still masks its secrets.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { storageTopics } from '../../../core/runtime/storage-topics.ts'
import type { Herder } from '../../../core/runtime/herder.ts'
import { builtinPlugins } from '../../../connectors/index.ts'
import { startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
let other: Herder | undefined
afterEach(async () => {
  await other?.close()
  await harness?.close()
  other = harness = undefined
})

const httpSink = (topic: string) => ({ 'connector.class': 'http-sink', topics: topic, url: 'http://svc:pa55word@127.0.0.1:1/in' })

describe('a storage topic prefix per worker group', () => {
  it('keeps two groups on one log apart, across a restart, with secrets masked in both configs topics', async () => {
    harness = await startWorkerHarness()
    const otherTopics = storageTopics(`${harness.storageTopics.configs.slice(0, -'configs'.length)}other-`)
    const openOther = () =>
      createWorker({
        log: harness!.log,
        plugins: builtinPlugins,
        workerId: 'other-worker',
        storageTopics: otherTopics,
      })
    other = await openOther()
    expect((await harness.request('POST', '/connectors', { name: 'mine', config: httpSink('a') })).status).toBe(201)
    await other.create('theirs', httpSink('b'))

    expect((await harness.request('GET', '/connectors')).body).toEqual(['mine'])
    expect(other.connectorNames()).toEqual(['theirs'])
    await other.close()
    await harness.restart()
    other = await openOther()
    expect((await harness.request('GET', '/connectors')).body).toEqual(['mine'])
    expect(other.connectorNames()).toEqual(['theirs'])

    for (const [topic, name] of [
      [harness.storageTopics.configs, 'mine'],
      [otherTopics.configs, 'theirs'],
    ] as const) {
      const read = await harness.request('GET', `/topics/${topic}/records?partition=0&offset=earliest&limit=100`)
      expect(read.status).toBe(200)
      const text = JSON.stringify(read.body)
      expect(text).toContain(`connector-${name}`)
      expect(text).toContain('svc:[hidden]@127.0.0.1')
      expect(text).not.toContain('pa55word')
    }
  })
})
