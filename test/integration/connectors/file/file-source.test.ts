import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileSource } from '../../../../connectors/file/source.ts'
import type { SourceOffset } from '../../../../core/runtime/plugin.ts'
import { partitionKey, pollRecords, sourceContext } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let file: string

beforeEach(async () => {
  dir = await makeTempDir('tributary-file-source-')
  file = path.join(dir.path, 'app.log')
})
afterEach(async () => {
  await dir.remove()
})

function task(offsets = new Map<string, SourceOffset>(), extra: Record<string, string> = {}) {
  const config = fileSource.config.parse({ file, topic: 'lines', 'poll.max.ms': '300', 'poll.interval.ms': '20', ...extra })
  return fileSource.createTask(sourceContext(config, { offsets }))
}


describe('file-source', () => {
  it('emits complete lines in order with the byte position after each, and waits for a partial line', async () => {
    fs.writeFileSync(file, 'alpha\r\nbeta\ngam')
    const source = task()
    await source.start()
    const first = await pollRecords(source, 2)
    expect(first.map((r) => r.value)).toEqual(['alpha', 'beta'])
    expect(first.map((r) => r.sourceOffset.position)).toEqual([7, 12])
    expect(first[0]?.sourcePartition).toEqual({ file })
    expect(await source.poll(new AbortController().signal)).toEqual([])
    fs.appendFileSync(file, 'ma\n')
    expect((await pollRecords(source, 1)).map((r) => r.value)).toEqual(['gamma'])
    await source.stop()
  })

  it('resumes after the stored offset without repeating a line', async () => {
    fs.writeFileSync(file, 'one\ntwo\nthree\n')
    const first = task()
    await first.start()
    const records = await pollRecords(first, 3)
    await first.stop()
    const offsets = new Map([[partitionKey({ file }), records[1]?.sourceOffset as SourceOffset]])
    const second = task(offsets)
    await second.start()
    expect((await pollRecords(second, 1)).map((r) => r.value)).toEqual(['three'])
    await second.stop()
  })

  it('follows rename rotation and copytruncate, and waits for a file that does not exist yet', async () => {
    const source = task()
    await source.start()
    expect(await source.poll(new AbortController().signal)).toEqual([])
    fs.writeFileSync(file, 'a\nb\n')
    expect((await pollRecords(source, 2)).map((r) => r.value)).toEqual(['a', 'b'])
    fs.appendFileSync(file, 'c\n')
    fs.renameSync(file, `${file}.1`)
    fs.writeFileSync(file, 'd\n')
    expect((await pollRecords(source, 2)).map((r) => r.value)).toEqual(['c', 'd'])
    fs.truncateSync(file, 0)
    fs.writeFileSync(file, 'e\n')
    expect((await pollRecords(source, 1)).map((r) => r.value)).toEqual(['e'])
    await source.stop()
  })

  it('parses JSON lines, keeps a bad one as text with a header, and ends a poll promptly on abort', async () => {
    fs.writeFileSync(file, '{"a":1}\nnot json\n')
    const source = task(new Map(), { format: 'json' })
    await source.start()
    const records = await pollRecords(source, 2)
    expect(records.map((r) => r.value)).toEqual([{ a: 1 }, 'not json'])
    expect(records[1]?.headers).toEqual({ 'tributary.parse.error': 'line is not valid JSON; kept as text' })
    const controller = new AbortController()
    const started = Date.now()
    const waiting = source.poll(controller.signal)
    controller.abort()
    expect(await waiting).toEqual([])
    expect(Date.now() - started).toBeLessThan(250)
    await source.stop()
  })
})
