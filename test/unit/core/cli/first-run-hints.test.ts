import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { firstRunHints } from '../../../../core/cli/first-run-hints.ts'

describe('first-run hints', () => {
  it('names the dashboard, a curl line per webhook on the REST port, and where file sinks write', () => {
    expect(
      firstRunHints('http://127.0.0.1:8083', false, [
        { name: 'default.webhook', plugin: 'http-source', config: { 'connector.class': 'http-source', mode: 'webhook' } },
        { name: 'default.archive', plugin: 'file-sink', config: { 'connector.class': 'FileStreamSink', file: 'data/out/events.jsonl' } },
        { name: 'poller', plugin: 'http-source', config: { mode: 'poll', url: 'http://example.invalid' } },
        { name: 'own-port', plugin: 'http-source', config: { 'listen.port': '9000' } },
      ]),
    ).toEqual([
      'Dashboard on http://127.0.0.1:8083/ui/',
      `Send a record to default.webhook: curl -X POST http://127.0.0.1:8083/ingest/default.webhook -H 'content-type: application/json' -d '{"hello":"world"}'`,
      `default.archive writes to ${path.resolve('data/out/events.jsonl')}`,
    ])
  })

  it('never prints a token, only where it would come from', () => {
    const [, rest, own] = firstRunHints('http://h:1', true, [
      { name: 'a', plugin: 'http-source', config: {} },
      { name: 'b', plugin: 'http-source', config: { 'auth.token': 's3cret' } },
    ])
    expect(rest).toContain('-H "authorization: Bearer $TRIBUTARY_REST_AUTH_TOKEN"')
    expect(own).toContain(`-H "authorization: Bearer <b's auth.token>"`)
    expect(own).not.toContain('s3cret')
  })
})
