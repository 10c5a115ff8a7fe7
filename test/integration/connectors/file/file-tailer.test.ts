import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileTailer } from '../../../../connectors/file/file-tailer.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-file-tailer-')
})
afterEach(async () => {
  await dir.remove()
})

/** A deterministic pseudo-random sequence, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('FileTailer', () => {
  it('splits lines correctly at every chunk size, with CRLF and multi-byte characters across chunk edges', async () => {
    const next = random(7)
    const alphabet = ['a', 'é', '€', '𝄞', ' ', '\r']
    const lines = Array.from({ length: 60 }, () =>
      Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
    )
    const endings = lines.map(() => (next() < 0.5 ? '\r\n' : '\n'))
    const file = path.join(dir.path, 'lines.txt')
    fs.writeFileSync(file, `${lines.map((line, i) => line + endings[i]).join('')}partial`)
    // A `\n` ending after a line that ends in `\r` reads as CRLF: that `\r` goes too.
    const expected = lines.map((line, i) => (endings[i] === '\n' && line.endsWith('\r') ? line.slice(0, -1) : line))
    let end = 0
    const ends = lines.map((line, i) => (end += Buffer.byteLength(line + endings[i])))

    for (const chunkBytes of [1, 2, 3, 5, 8, 13, 64, 4096]) {
      const tailer = new FileTailer(file, { position: 0, inode: null }, { chunkBytes })
      const got: string[] = []
      const positions: number[] = []
      for (let batch = await tailer.read(7); batch.length > 0; batch = await tailer.read(7)) {
        got.push(...batch.map((line) => line.text))
        positions.push(...batch.map((line) => line.end.position))
      }
      await tailer.close()
      expect(got, `chunk ${chunkBytes}`).toEqual(expected)
      expect(positions, `chunk ${chunkBytes}`).toEqual(ends)
    }
  })

  it('reads nothing once closed', async () => {
    const file = path.join(dir.path, 'x.txt')
    fs.writeFileSync(file, 'a\n')
    const tailer = new FileTailer(file, { position: 0, inode: null })
    await tailer.close()
    expect(await tailer.read(10)).toEqual([])
  })

  it("refuses a link put in the file's place after the path was checked, as a path not allowed", async () => {
    const secret = path.join(dir.path, 'secret.txt')
    fs.writeFileSync(secret, 'do not read\n')
    const file = path.join(dir.path, 'app.log')
    // The check passed while the file was not there (it answers the path as given); the link comes after it.
    const tailer = new FileTailer(file, { position: 0, inode: null }, { resolve: (given) => given })
    fs.symlinkSync(secret, file)
    await expect(tailer.read(10)).rejects.toMatchObject({ code: 'TRB_PATH_NOT_ALLOWED' })
    await tailer.close()
  })
})
