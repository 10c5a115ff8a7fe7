import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fileSink } from '../../../../connectors/file/sink.ts'
import { isTributaryError } from '../../../../core/errors.ts'
import type { SinkTask } from '../../../../core/runtime/plugin.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
const tasks: SinkTask[] = []

beforeEach(async () => {
  dir = await makeTempDir('tributary-file-sink-')
})
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(tasks.splice(0).map((task) => task.stop()))
  await dir.remove()
})

async function startTask(config: Record<string, string>): Promise<SinkTask> {
  const task = fileSink.createTask(sinkContext(fileSink.config.parse(config)))
  tasks.push(task)
  await task.start()
  return task
}

const read = (file: string) => fs.readFileSync(file, 'utf8')

describe('file-sink config', () => {
  it("accepts Kafka's FileStreamSink config unchanged and splits into tasks only when no file has two writers", () => {
    const kafka = fileSink.config.parse({ 'connector.class': 'FileStreamSink', 'tasks.max': '3', file: 'out.txt', topics: 'connect-test' })
    expect(kafka).toMatchObject({
      file: 'out.txt',
      topics: 'connect-test',
      'tasks.max': '3',
      format: 'json',
      envelope: false,
      'skip.tombstones': false,
    })
    expect(fileSink.aliases).toContain('org.apache.kafka.connect.file.FileStreamSinkConnector')
    expect(fileSink.taskConfigs(kafka, 3)).toHaveLength(1)
    const split = (file: string, extra: Record<string, string> = {}) =>
      fileSink.taskConfigs(fileSink.config.parse({ file, ...extra }), 3).length
    expect(split('${topic}-${partition}.jsonl')).toBe(3)
    expect(split('${topic}.jsonl')).toBe(1)
    expect(split('p${partition}.jsonl', { topics: 'one' })).toBe(3)
    expect(split('p${partition}.jsonl', { topics: 'one,two' })).toBe(1)
    expect(fileSink.config.parse({ file: 'x', envelope: 'true', 'skip.tombstones': true }).envelope).toBe(true)
    expect(fileSink.config.safeParse({ file: 'x', envelope: 'yes' }).success).toBe(false)
  })
})

describe('file-sink', () => {
  it('writes one JSON line per value on flush only, with strings as JSON strings and tombstones as null', async () => {
    const file = path.join(dir.path, 'out.jsonl')
    const sink = await startTask({ file })
    await sink.put([
      sinkRecord({ value: { a: 1, raw: Buffer.from('hi') } }),
      sinkRecord({ value: 'text\nwith newline' }),
      sinkRecord({ value: null }),
      sinkRecord({ value: Buffer.from([0, 255]) }),
    ])
    expect(fs.existsSync(file)).toBe(false)
    await sink.flush()
    expect(read(file)).toBe('{"a":1,"raw":"aGk="}\n"text\\nwith newline"\nnull\n"AP8="\n')
    await sink.put([sinkRecord({ value: 2 })])
    await sink.flush()
    expect(read(file).split('\n')).toHaveLength(6)
  })

  it('has every touched file fsynced before flush resolves, and keeps handles open between flushes', async () => {
    const probe = await fs.promises.open(path.join(dir.path, 'probe'), 'w')
    const handleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> }
    await probe.close()
    const events: string[] = []
    const sync = handleProto.sync
    vi.spyOn(handleProto, 'sync').mockImplementation(async function (this: fs.promises.FileHandle) {
      events.push('sync')
      await sync.call(this)
      events.push('synced')
    })
    const opens = vi.spyOn(fs.promises, 'open')

    const sink = await startTask({ file: path.join(dir.path, '${topic}.jsonl') })
    await sink.put([sinkRecord({ topic: 'a', value: 1 }), sinkRecord({ topic: 'b', value: 2 })])
    await sink.flush()
    events.push('flushed')
    // Both files were synced, and both syncs had finished when flush resolved.
    expect(events.filter((event) => event === 'synced')).toHaveLength(2)
    expect(events.at(-1)).toBe('flushed')
    expect(events.at(-2)).toBe('synced')
    expect([read(path.join(dir.path, 'a.jsonl')), read(path.join(dir.path, 'b.jsonl'))]).toEqual(['1\n', '2\n'])

    const appendOpens = () =>
      opens.mock.calls.filter(([, flags]) => typeof flags === 'number' && (flags & fs.constants.O_APPEND) !== 0).length
    expect(appendOpens()).toBe(2)
    await sink.put([sinkRecord({ topic: 'a', value: 3 })])
    await sink.flush()
    expect(appendOpens()).toBe(2)
    expect(read(path.join(dir.path, 'a.jsonl'))).toBe('1\n3\n')
  })

  it('writes strings and bytes as they are with format=raw, and other values as JSON', async () => {
    const file = path.join(dir.path, 'raw.txt')
    const sink = await startTask({ file, format: 'raw' })
    await sink.put([
      sinkRecord({ value: 'plain line' }),
      sinkRecord({ value: Buffer.from([0x62, 0xff, 0x00]) }),
      sinkRecord({ value: { n: 1 } }),
      sinkRecord({ value: null }),
    ])
    await sink.flush()
    expect(fs.readFileSync(file)).toEqual(
      Buffer.concat([Buffer.from('plain line\n'), Buffer.from([0x62, 0xff, 0x00, 0x0a]), Buffer.from('{"n":1}\nnull\n')]),
    )
  })

  it('makes one file per topic and partition from the template, creating parent directories', async () => {
    const sink = await startTask({ file: path.join(dir.path, 'by-topic', '${topic}', 'p-${partition}.jsonl') })
    await sink.put([
      sinkRecord({ topic: 'orders', partition: 0, value: 'o0' }),
      sinkRecord({ topic: 'orders', partition: 1, value: 'o1' }),
      sinkRecord({ topic: 'users', partition: 0, value: 'u0' }),
      sinkRecord({ topic: 'orders', partition: 0, value: 'o0b' }),
    ])
    await sink.flush()
    expect(read(path.join(dir.path, 'by-topic', 'orders', 'p-0.jsonl'))).toBe('"o0"\n"o0b"\n')
    expect(read(path.join(dir.path, 'by-topic', 'orders', 'p-1.jsonl'))).toBe('"o1"\n')
    expect(read(path.join(dir.path, 'by-topic', 'users', 'p-0.jsonl'))).toBe('"u0"\n')
  })

  it('writes envelopes with the record coordinates, and skips tombstones when asked', async () => {
    const file = path.join(dir.path, 'env.jsonl')
    const sink = await startTask({ file, envelope: 'true', 'skip.tombstones': 'true' })
    await sink.put([
      sinkRecord({ topic: 'a', partition: 1, offset: 5, key: Buffer.from('k'), value: { v: 1 }, timestamp: 9 }),
      sinkRecord({ topic: 'a', partition: 1, offset: 6, key: 'gone', value: null, timestamp: 10 }),
    ])
    await sink.flush()
    const lines = read(file)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown)
    expect(lines).toEqual([{ topic: 'a', partition: 1, offset: 5, timestamp: 9, key: 'aw==', value: { v: 1 } }])
  })

  it('fails a flush with a retriable TRB_SINK_WRITE and writes the same lines once on the retry', async () => {
    const blocker = path.join(dir.path, 'sub')
    fs.writeFileSync(blocker, 'not a directory')
    const file = path.join(blocker, 'out.jsonl')
    const sink = await startTask({ file })
    await sink.put([sinkRecord({ value: 1 }), sinkRecord({ value: 2 })])
    const error = await sink.flush().then(
      () => undefined,
      (failure: unknown) => failure,
    )
    expect(isTributaryError(error, 'TRB_SINK_WRITE') && error.retriable).toBe(true)
    fs.unlinkSync(blocker)
    await sink.put([sinkRecord({ value: 3 })])
    await sink.flush()
    expect(read(file)).toBe('1\n2\n3\n')
  })

  it('cuts off a line torn by a crash before appending again', async () => {
    const file = path.join(dir.path, 'out.jsonl')
    fs.writeFileSync(file, '{"a":1}\n{"a":2')
    const sink = await startTask({ file })
    await sink.put([sinkRecord({ value: { a: 2 } })])
    await sink.flush()
    expect(read(file)).toBe('{"a":1}\n{"a":2}\n')
  })

  it('drops unflushed lines on stop, and a new task appends after what was flushed', async () => {
    const file = path.join(dir.path, 'out.jsonl')
    const first = await startTask({ file })
    await first.put([sinkRecord({ value: 'kept' })])
    await first.flush()
    await first.put([sinkRecord({ value: 'not flushed' })])
    await first.stop()
    const second = await startTask({ file })
    await second.put([sinkRecord({ value: 'again' })])
    await second.flush()
    expect(read(file)).toBe('"kept"\n"again"\n')
  })
})
