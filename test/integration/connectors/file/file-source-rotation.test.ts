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
  dir = await makeTempDir('tributary-file-rotation-')
  file = path.join(dir.path, 'app.log')
})
afterEach(async () => {
  await Promise.all(tasks.splice(0).map((task) => task.stop()))
  await dir.remove()
})

async function startTask(offsets = new Map<string, SourceOffset>()): Promise<SourceTask> {
  const config = fileSource.config.parse({ file, topic: 'lines', 'poll.max.ms': '300', 'poll.interval.ms': '20' })
  const task = fileSource.createTask(sourceContext(config, { offsets }))
  tasks.push(task)
  await task.start()
  return task
}

const values = (records: readonly SourceRecord[]) => records.map((record) => record.value)
const offsets = (records: readonly SourceRecord[]) => records.map((record) => record.sourceOffset)

describe('file-source rotation', () => {
  it('finishes a renamed file (the writer still appending to it) before starting the new one at 0', async () => {
    const writer = fs.openSync(file, 'a')
    fs.writeSync(writer, 'a\nb\n')
    const source = await startTask()
    expect(values(await pollRecords(source, 2))).toEqual(['a', 'b'])
    const oldInode = fs.statSync(file).ino

    fs.renameSync(file, `${file}.1`)
    fs.writeFileSync(file, '') // logrotate's `create`: the new file is empty until the writer reopens
    fs.writeSync(writer, 'c\npart')
    const c = await pollRecords(source, 1)
    expect(values(c)).toEqual(['c'])
    expect(offsets(c)).toEqual([{ position: 6, inode: oldInode }])
    expect(await source.poll(new AbortController().signal)).toEqual([]) // `part` may still be finished
    fs.writeSync(writer, 'ial\n')
    expect(values(await pollRecords(source, 1))).toEqual(['partial'])
    fs.closeSync(writer)

    fs.appendFileSync(file, 'd\n')
    const d = await pollRecords(source, 1)
    expect(values(d)).toEqual(['d'])
    expect(offsets(d)).toEqual([{ position: 2, inode: fs.statSync(file).ino }])
  })

  it("emits a rotated file's unterminated last line once the new file has data", async () => {
    fs.writeFileSync(file, 'x\ntail')
    const source = await startTask()
    expect(values(await pollRecords(source, 1))).toEqual(['x'])
    const oldInode = fs.statSync(file).ino
    fs.renameSync(file, `${file}.1`)
    fs.writeFileSync(file, 'y\n')
    const records = await pollRecords(source, 2)
    expect(values(records)).toEqual(['tail', 'y'])
    expect(offsets(records)).toEqual([
      { position: 6, inode: oldInode },
      { position: 2, inode: fs.statSync(file).ino },
    ])
  })

  it('after a restart, finds the rotated-away file by its inode and reads its rest first', async () => {
    fs.writeFileSync(file, 'one\ntwo\n')
    const oldInode = fs.statSync(file).ino
    const stored = new Map([[partitionKey({ file }), { position: 4, inode: oldInode }]])
    fs.appendFileSync(file, 'three\n')
    fs.renameSync(file, `${file}.1`)
    fs.writeFileSync(file, 'four\n')
    const source = await startTask(stored)
    const records = await pollRecords(source, 3)
    expect(values(records)).toEqual(['two', 'three', 'four'])
    expect(offsets(records)).toEqual([
      { position: 8, inode: oldInode },
      { position: 14, inode: oldInode },
      { position: 5, inode: fs.statSync(file).ino },
    ])
    expect(await source.poll(new AbortController().signal)).toEqual([])
  })

  it('starts over at 0 after copytruncate, also when the file regrew past the position before the next read', async () => {
    fs.writeFileSync(file, 'aaaa\nbbbb\n')
    const source = await startTask()
    expect(values(await pollRecords(source, 2))).toEqual(['aaaa', 'bbbb'])
    fs.truncateSync(file, 0)
    fs.writeFileSync(file, 'c\n')
    const c = await pollRecords(source, 1)
    expect(values(c)).toEqual(['c'])
    expect(offsets(c)).toEqual([{ position: 2, inode: fs.statSync(file).ino }])

    fs.truncateSync(file, 0)
    fs.writeFileSync(file, 'dddddd\neeee\n') // longer than the position (2) already
    expect(values(await pollRecords(source, 2))).toEqual(['dddddd', 'eeee'])
  })

  it('keeps reading a deleted file it has open, and takes the new file when the path is created again', async () => {
    const writer = fs.openSync(file, 'a')
    fs.writeSync(writer, 'a\n')
    const source = await startTask()
    expect(values(await pollRecords(source, 1))).toEqual(['a'])
    fs.unlinkSync(file)
    fs.writeSync(writer, 'b\n')
    expect(values(await pollRecords(source, 1))).toEqual(['b'])
    fs.closeSync(writer)
    fs.writeFileSync(file, 'c\n')
    expect(values(await pollRecords(source, 1))).toEqual(['c'])
  })
})
