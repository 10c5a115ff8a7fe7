import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const logger = path.resolve(import.meta.dirname, '../../../core/logger.ts')

// The logger is silent under the test runner: a child process logs for real, at info.
const script = `
import { createLogger } from ${JSON.stringify(logger)}
const log = createLogger('test')
const error = new Error('connect failed for postgres://u:LogPass1@10.0.0.9:5432/db', { cause: new Error('fetch http://a:LogPass2@h/x') })
Object.assign(error, { details: { url: 'mysql://root:LogPass3@h/app' } })
log.warn({ err: error, url: 'https://svc:LogPass4@h/in', config: { 'auth.token': 'LogPass5', 'headers.Authorization': 'Bearer LogPass6', topic: 'kept' } }, 'retrying postgres://u:LogPass7@h/db')
log.info('plain postgres://u:LogPass8@h/db')
`

describe('logger', () => {
  it('writes no secret: URL passwords, secret keys and credential headers are masked in messages, fields and errors', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'info' },
    })
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toHaveLength(2)
    expect(stdout).not.toMatch(/LogPass/)
    expect(lines[0]).toMatchObject({
      msg: 'retrying postgres://u:[hidden]@h/db',
      url: 'https://svc:[hidden]@h/in',
      config: { 'auth.token': '[hidden]', 'headers.Authorization': '[hidden]', topic: 'kept' },
      err: {
        message: 'connect failed for postgres://u:[hidden]@10.0.0.9:5432/db: fetch http://a:[hidden]@h/x',
        details: { url: 'mysql://root:[hidden]@h/app' },
      },
    })
    expect(lines[0].err.stack).toContain('postgres://u:[hidden]@10.0.0.9:5432/db')
    expect(lines[1].msg).toBe('plain postgres://u:[hidden]@h/db')
  })
})
