import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openUnfollowed, PathPolicy } from '../../../../core/runtime/path-policy.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let allowed: string
let outside: string
let policy: PathPolicy

beforeEach(async () => {
  dir = await makeTempDir('tributary-path-policy-')
  // The temp dir itself may sit behind a link (macOS /tmp); compare against real paths.
  const root = fs.realpathSync(dir.path)
  allowed = path.join(root, 'allowed')
  outside = path.join(root, 'outside')
  fs.mkdirSync(path.join(allowed, 'topics'), { recursive: true })
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(outside, 'secret'), 'secret\n')
  policy = new PathPolicy({ allowed: [allowed], denied: [path.join(allowed, 'topics')] })
})
afterEach(async () => {
  await dir.remove()
})

const refusal = (file: string, access: 'read' | 'write' = 'read') => {
  try {
    policy.check(file, access)
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error(`${file} was allowed`)
}

describe('the file sandbox', () => {
  it('allows files in an allowed directory, existing or not, and returns their real path', () => {
    fs.writeFileSync(path.join(allowed, 'in.txt'), 'x\n')
    expect(policy.check(path.join(allowed, 'in.txt'), 'read')).toBe(path.join(allowed, 'in.txt'))
    expect(policy.check(path.join(allowed, 'new', 'deeper', 'out.jsonl'), 'write')).toBe(path.join(allowed, 'new', 'deeper', 'out.jsonl'))
    expect(policy.check(allowed, 'read')).toBe(allowed)
  })

  it('refuses a path outside, naming the flag to set', () => {
    const error = refusal(path.join(outside, 'secret'))
    expect(error.code).toBe('TRB_PATH_NOT_ALLOWED')
    expect(error.message).toContain('--file-allowed-paths')
    expect(refusal('/etc/cron.d/x', 'write').code).toBe('TRB_PATH_NOT_ALLOWED')
    // A sibling whose name starts like the allowed one is not inside it.
    fs.mkdirSync(`${allowed}-evil`)
    expect(refusal(path.join(`${allowed}-evil`, 'x'), 'write').code).toBe('TRB_PATH_NOT_ALLOWED')
  })

  it('normalises ..', () => {
    expect(refusal(path.join(allowed, '..', 'outside', 'secret')).code).toBe('TRB_PATH_NOT_ALLOWED')
    expect(refusal(`${allowed}/new/../../outside/x`, 'write').code).toBe('TRB_PATH_NOT_ALLOWED')
    expect(policy.check(`${allowed}/new/../in.txt`, 'write')).toBe(path.join(allowed, 'in.txt'))
  })

  it('refuses a link inside that leads out, to a file or through a directory, even to a file not there yet', () => {
    fs.symlinkSync(path.join(outside, 'secret'), path.join(allowed, 'link-to-file'))
    fs.symlinkSync(outside, path.join(allowed, 'link-to-dir'))
    expect(refusal(path.join(allowed, 'link-to-file')).message).toContain('symbolic link')
    expect(refusal(path.join(allowed, 'link-to-dir', 'secret')).code).toBe('TRB_PATH_NOT_ALLOWED')
    expect(refusal(path.join(allowed, 'link-to-dir', 'not-yet', 'x.jsonl'), 'write').code).toBe('TRB_PATH_NOT_ALLOWED')
    // A dangling link is followed to where it would create the file.
    fs.symlinkSync(path.join(outside, 'planted'), path.join(allowed, 'dangling'))
    expect(refusal(path.join(allowed, 'dangling'), 'write').code).toBe('TRB_PATH_NOT_ALLOWED')
  })

  it('follows a link that stays inside, and returns where it leads', () => {
    fs.writeFileSync(path.join(allowed, 'real.txt'), 'x\n')
    fs.symlinkSync(path.join(allowed, 'real.txt'), path.join(allowed, 'alias.txt'))
    expect(policy.check(path.join(allowed, 'alias.txt'), 'read')).toBe(path.join(allowed, 'real.txt'))
  })

  it('allows a directory reached through a link when the link itself is listed', () => {
    fs.symlinkSync(outside, path.join(dir.path, 'via-link'))
    const viaLink = new PathPolicy({ allowed: [path.join(dir.path, 'via-link')] })
    expect(viaLink.check(path.join(dir.path, 'via-link', 'secret'), 'read')).toBe(path.join(outside, 'secret'))
  })

  it('keeps the log storage closed inside an allowed directory', () => {
    const error = refusal(path.join(allowed, 'topics', '_tributary-configs', '00000000000000000000.log'))
    expect(error.code).toBe('TRB_PATH_NOT_ALLOWED')
    expect(error.message).toContain('log storage')
    fs.symlinkSync(path.join(allowed, 'topics'), path.join(allowed, 'innocent'))
    expect(refusal(path.join(allowed, 'innocent', 'x')).code).toBe('TRB_PATH_NOT_ALLOWED')
  })

  it('opens a checked path, and refuses a link planted there after the check as the check would have', async () => {
    const file = path.join(allowed, 'app.log')
    const real = policy.check(file, 'write')
    // The check passed while nothing was there; a link to a file outside is put in its place before the open.
    fs.symlinkSync(path.join(outside, 'secret'), file)
    await expect(openUnfollowed(real, fs.constants.O_WRONLY | fs.constants.O_APPEND, 'write')).rejects.toMatchObject({
      code: 'TRB_PATH_NOT_ALLOWED',
      details: { access: 'write' },
    })
    expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('secret\n')
    fs.unlinkSync(file)
    fs.writeFileSync(file, 'ours\n')
    const handle = await openUnfollowed(real, fs.constants.O_RDONLY, 'read')
    expect((await handle.readFile()).toString()).toBe('ours\n')
    await handle.close()
  })
})
