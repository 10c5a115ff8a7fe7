import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileSink } from '../../../../connectors/file/sink.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-file-sink-')
})
afterEach(async () => {
  await dir.remove()
})

function task(config: Record<string, string>) {
  return fileSink.createTask(sinkContext(fileSink.config.parse(config)))
}

describe('file-sink', () => {
  it('writes JSON lines only on flush, and they are on disk when flush resolves', async () => {
    const file = path.join(dir.path, 'out.jsonl')
    const sink = task({ file })
    await sink.start()
    await sink.put([sinkRecord({ value: { a: 1 } }), sinkRecord({ value: 'text' }), sinkRecord({ value: null })])
    expect(fs.existsSync(file)).toBe(false)
    await sink.flush()
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n"text"\nnull\n')
    await sink.put([sinkRecord({ value: 2 })])
    await sink.flush()
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(5)
    await sink.stop()
  })

  it('writes raw text, envelopes, one file per topic, and skips tombstones when asked', async () => {
    const raw = task({ file: path.join(dir.path, 'raw.txt'), format: 'raw', 'skip.tombstones': 'true' })
    await raw.put([sinkRecord({ value: 'plain line' }), sinkRecord({ value: null }), sinkRecord({ value: Buffer.from('bytes') })])
    await raw.flush()
    expect(fs.readFileSync(path.join(dir.path, 'raw.txt'), 'utf8')).toBe('plain line\nbytes\n')
    await raw.stop()
    const perTopic = task({ file: path.join(dir.path, 'by-topic', '${topic}-${partition}.jsonl'), envelope: 'true' })
    await perTopic.put([sinkRecord({ topic: 'a', partition: 1, offset: 5, key: 'k', value: { v: 1 }, timestamp: 9 }), sinkRecord({ topic: 'b', value: 2 })])
    await perTopic.flush()
    expect(JSON.parse(fs.readFileSync(path.join(dir.path, 'by-topic', 'a-1.jsonl'), 'utf8'))).toEqual({ topic: 'a', partition: 1, offset: 5, timestamp: 9, key: 'k', value: { v: 1 } })
    expect(fs.existsSync(path.join(dir.path, 'by-topic', 'b-0.jsonl'))).toBe(true)
    await perTopic.stop()
  })

  it('cuts off a line torn by a crash before appending again', async () => {
    const file = path.join(dir.path, 'out.jsonl')
    fs.writeFileSync(file, '{"a":1}\n{"a":2')
    const sink = task({ file })
    await sink.put([sinkRecord({ value: { a: 2 } })])
    await sink.flush()
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n')
    await sink.stop()
  })
})
