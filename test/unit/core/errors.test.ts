import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TributaryError, errorCodes, isTributaryError, storageError } from '../../../core/errors.ts'

const documented = fs.readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const docRows = [...documented.matchAll(/^\| `(TRB_[A-Z_]+)` \| (\d+) \| (-?\d+) \| (yes|no) \|/gm)]

describe('the error table', () => {
  it('is documented in docs/errors.md, row for row', () => {
    const codes = Object.keys(errorCodes)
    expect(docRows.map((row) => row[1]).sort()).toEqual([...codes].sort())
    for (const [, code, http, kafka, retriable] of docRows) {
      const spec = errorCodes[code as keyof typeof errorCodes]
      expect({ code, http: spec.http, kafka: spec.kafka, retriable: spec.retriable }).toEqual({
        code,
        http: Number(http),
        kafka: Number(kafka),
        retriable: retriable === 'yes',
      })
    }
  })

  it('has codes that follow the naming rule and HTTP statuses that are errors', () => {
    for (const [code, spec] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^TRB_[A-Z]+(_[A-Z]+)*$/)
      expect(spec.http).toBeGreaterThanOrEqual(400)
      expect(spec.http).toBeLessThan(600)
    }
  })
})

describe('TributaryError', () => {
  it('carries its code, the table defaults, details and cause', () => {
    const cause = new Error('disk said no')
    const error = new TributaryError('TRB_TOPIC_NOT_FOUND', 'topic x does not exist', { details: { topic: 'x' }, cause })
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('TRB_TOPIC_NOT_FOUND')
    expect(error.retriable).toBe(false)
    expect(error.httpStatus).toBe(404)
    expect(error.kafkaErrorCode).toBe(3)
    expect(error.details).toEqual({ topic: 'x' })
    expect(error.cause).toBe(cause)
    expect(error.toJSON()).toEqual({
      code: 'TRB_TOPIC_NOT_FOUND',
      message: 'topic x does not exist',
      retriable: false,
      details: { topic: 'x' },
    })
  })

  it('lets the thrower override retriable where it knows better', () => {
    expect(new TributaryError('TRB_INTERNAL', 'transient', { retriable: true }).retriable).toBe(true)
    expect(new TributaryError('TRB_LOG_STORAGE', 'x').retriable).toBe(true)
  })

  it('is recognised by code, not by message', () => {
    const error = new TributaryError('TRB_LOG_CORRUPT', 'anything')
    expect(isTributaryError(error)).toBe(true)
    expect(isTributaryError(error, 'TRB_LOG_CORRUPT')).toBe(true)
    expect(isTributaryError(error, 'TRB_INTERNAL')).toBe(false)
    expect(isTributaryError(new Error('TRB_LOG_CORRUPT'))).toBe(false)
  })

  it('is recognised when another copy of the module made it, as a plugin with its own SDK install does', async () => {
    const copy = '../../../core/errors.ts?another-copy'
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('../../../core/errors.ts')
    expect(other.TributaryError).not.toBe(TributaryError)
    const error = new other.TributaryError('TRB_SINK_WRITE', 'the endpoint is down')
    expect(error instanceof TributaryError).toBe(false)
    expect(isTributaryError(error)).toBe(true)
    expect(isTributaryError(error, 'TRB_SINK_WRITE')).toBe(true)
    expect(isTributaryError(error, 'TRB_INTERNAL')).toBe(false)
    expect(other.isTributaryError(new TributaryError('TRB_INTERNAL', 'x'))).toBe(true)
    expect(isTributaryError({ code: 'TRB_SINK_WRITE', retriable: true })).toBe(false)
  })

  it('wraps fs failures with their errno', () => {
    const errno = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
    const error = storageError('write', '/data/x.log', errno)
    expect(error.code).toBe('TRB_LOG_STORAGE')
    expect(error.details).toMatchObject({ errno: 'ENOSPC', operation: 'write' })
    expect(error.message).toMatch(/no space left/)
  })
})
