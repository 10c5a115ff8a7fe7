import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileSource } from '../../../../connectors/file/source.ts'
import type { SourceOffset, SourceRecord, SourceTask } from '../../../../core/runtime/plugin.ts'
import { partitionKey, pollRecords, sourceContext } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let file: string
const tasks: SourceTask[] = []

beforeEach(async () => {
  dir = await makeTempDir('tributary-file-source-')
  file = path.join(dir.path, 'app.log')
})
afterEach(async () => {
  await Promise.all(tasks.splice(0).map((task) => task.stop()))
  await dir.remove()
})

async function startTask(extra: Record<string, string> = {}, offsets = new Map<string, SourceOffset>()): Promise<SourceTask> {
  const config = fileSource.config.parse({ file, topic: 'lines', 'poll.max.ms': '300', 'poll.interval.ms': '20', ...extra })
  const task = fileSource.createTask(sourceContext(config, { offsets }))
  tasks.push(task)
  await task.start()
  return task
}

const values = (records: readonly SourceRecord[]) => records.map((record) => record.value)
const positions = (records: readonly SourceRecord[]) => records.map((record) => record.sourceOffset.position)
const idle = () => new AbortController().signal

describe('file-source config', () => {
  it("accepts Kafka's FileStreamSource config unchanged, keeps runtime keys and coerces numbers", () => {
    const config = fileSource.config.parse({
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: 'test.txt',
      topic: 'connect-test',
      'batch.size': '10',
    })
    expect(config).toMatchObject({
      'tasks.max': '1',
      file: 'test.txt',
      topic: 'connect-test',
      'batch.size': 10,
      format: 'text',
      'poll.max.ms': 1000,
    })
    expect(fileSource.aliases).toEqual(['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSource'])
    expect(fileSource.taskConfigs(config, 4)).toEqual([config])
    expect(fileSource.config.safeParse({ file: 'a', topic: 't', 'batch.size': 'many' }).success).toBe(false)
    expect(fileSource.config.safeParse({ topic: 't' }).success).toBe(false)
  })
})

describe('file-source', () => {
  it('emits complete lines in order with the byte position after each, and a partial line waits for its newline', async () => {
    fs.writeFileSync(file, 'alpha\r\nbeta\ngam')
    const source = await startTask()
    const first = await pollRecords(source, 2)
    expect(values(first)).toEqual(['alpha', 'beta'])
    expect(positions(first)).toEqual([7, 12])
    const inode = fs.statSync(file).ino
    expect(first[0]).toMatchObject({ topic: 'lines', key: null, sourcePartition: { file }, sourceOffset: { position: 7, inode } })
    expect(typeof first[0]?.timestamp).toBe('number')
    expect(await source.poll(idle())).toEqual([])
    fs.appendFileSync(file, 'ma\n')
    const next = await pollRecords(source, 1)
    expect(values(next)).toEqual(['gamma'])
    expect(positions(next)).toEqual([18])
  })

  it('hands out at most batch.size lines per poll and continues at the exact position', async () => {
    fs.writeFileSync(file, 'a\nbb\nccc\ndddd\ne\n')
    const source = await startTask({ 'batch.size': '2' })
    const polls = [await source.poll(idle()), await source.poll(idle()), await source.poll(idle())]
    expect(polls.map(values)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['e']])
    expect(polls.map(positions)).toEqual([[2, 5], [9, 14], [16]])
  })

  it('resumes after a stored offset without emitting a line twice', async () => {
    fs.writeFileSync(file, 'one\ntwo\nthree\n')
    const first = await startTask()
    const records = await pollRecords(first, 3)
    await first.stop()
    const offsets = new Map([[partitionKey({ file }), records[1]?.sourceOffset as SourceOffset]])
    fs.appendFileSync(file, 'four\n')
    const second = await startTask({}, offsets)
    const resumed = await pollRecords(second, 2)
    expect(values(resumed)).toEqual(['three', 'four'])
    expect(await second.poll(idle())).toEqual([])
  })

  it('starts over at 0 when the stored offset names a file that is gone', async () => {
    fs.writeFileSync(file, 'new file\n')
    const offsets = new Map([[partitionKey({ file }), { position: 4, inode: fs.statSync(file).ino + 12345 }]])
    const source = await startTask({}, offsets)
    expect(values(await pollRecords(source, 1))).toEqual(['new file'])
  })

  it('waits for a file (and its directory) created after the start', async () => {
    file = path.join(dir.path, 'later', 'app.log')
    const source = await startTask()
    expect(await source.poll(idle())).toEqual([])
    fs.mkdirSync(path.dirname(file))
    fs.writeFileSync(file, 'hello\n')
    const records = await pollRecords(source, 1)
    expect(values(records)).toEqual(['hello'])
    expect(records[0]?.sourcePartition).toEqual({ file })
  })

  it('is woken by a change event rather than the poll interval, and an idle poll ends after poll.max.ms', async () => {
    fs.writeFileSync(file, '')
    const source = await startTask({ 'poll.interval.ms': '5000', 'poll.max.ms': '4000' })
    const started = Date.now()
    const polled = source.poll(idle())
    setTimeout(() => fs.appendFileSync(file, 'woken\n'), 50)
    expect(values(await polled)).toEqual(['woken'])
    expect(Date.now() - started).toBeLessThan(1500)

    file = path.join(dir.path, 'quiet.log')
    const quick = await startTask({ 'poll.max.ms': '150' })
    const idleStart = Date.now()
    expect(await quick.poll(idle())).toEqual([])
    expect(Date.now() - idleStart).toBeGreaterThanOrEqual(140)
    expect(Date.now() - idleStart).toBeLessThan(1000)
  })

  it('ends a waiting poll promptly when its signal aborts or the task stops', async () => {
    fs.writeFileSync(file, '')
    const source = await startTask({ 'poll.max.ms': '5000', 'poll.interval.ms': '5000' })
    const controller = new AbortController()
    let started = Date.now()
    const aborted = source.poll(controller.signal)
    setTimeout(() => controller.abort(), 20)
    expect(await aborted).toEqual([])
    expect(Date.now() - started).toBeLessThan(500)

    started = Date.now()
    const stopped = source.poll(idle())
    setTimeout(() => void source.stop(), 20)
    expect(await stopped).toEqual([])
    expect(Date.now() - started).toBeLessThan(500)
  })

  it('parses JSON lines and sends a line that does not parse as its text with a parse-error header', async () => {
    fs.writeFileSync(file, '{"a":1}\nnot json\n[1,2]\n')
    const source = await startTask({ format: 'json' })
    const records = await pollRecords(source, 3)
    expect(values(records)).toEqual([{ a: 1 }, 'not json', [1, 2]])
    expect(records[0]?.headers).toBeUndefined()
    expect(Object.keys(records[1]?.headers ?? {})).toEqual(['tributary.parse.error'])
  })

  it('reads lines far longer than a read chunk, and many of them, exactly', async () => {
    const long = 'é'.repeat(100_000) // 200 kB of two-byte characters: chunk edges split them
    const lines = [long, 'short', ...Array.from({ length: 5000 }, (_, i) => `line ${i}`)]
    fs.writeFileSync(file, `${lines.join('\n')}\n`)
    const source = await startTask({ 'batch.size': '2000' })
    const records = await pollRecords(source, lines.length)
    expect(values(records)).toEqual(lines)
    expect(records.at(-1)?.sourceOffset.position).toBe(fs.statSync(file).size)
  })
})
