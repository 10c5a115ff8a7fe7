/**
 * `tributary status --follow` against a stand-in worker whose REST answers step through a snapshot:
 * a real CDC snapshot runs too fast, and too unevenly, to catch its middle on cue.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { restClient } from '../../core/cli/rest-client.ts'
import { followSnapshots } from '../../core/cli/snapshot-follow.ts'
import { fakeTerminal } from '../support/fake-terminal.ts'
import { tributaryCli } from '../support/tributary-cli.ts'

let close: (() => void) | undefined

afterEach(() => {
  close?.()
  close = undefined
})

const task = (state: string, details: Record<string, unknown>) => ({
  cdc: {
    status: {
      name: 'cdc',
      type: 'source',
      connector: { state: 'RUNNING', worker_id: 'w' },
      tasks: [{ id: 0, state, worker_id: 'w', details }],
    },
    info: { config: { 'connector.class': 'postgres-cdc' } },
  },
})
const snapshot = (done: number) =>
  task('RUNNING', { phase: 'snapshot', snapshot_table: 'public.orders', snapshot_rows_done: done, snapshot_rows_estimated: 1000 })

/** Each GET /connectors answers the next step; the last one repeats. */
async function standInWorker(steps: ReadonlyArray<Record<string, unknown>>): Promise<string> {
  let step = 0
  const app = express()
  app.get('/connectors', (_req, res) => {
    res.json(steps[Math.min(step++, steps.length - 1)])
  })
  app.get('/metrics/connectors', (_req, res) => {
    res.json({ at: Date.now(), connectors: {} })
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  close = () => server.close()
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const status = (url: string, ...args: string[]) => tributaryCli(['status', '--url', url, '--sample-ms', '0', ...args])

describe('following snapshots', () => {
  it('draws a bar per snapshotting task until its snapshot ends', async () => {
    const url = await standInWorker([snapshot(500), snapshot(900), task('RUNNING', { phase: 'streaming' })])
    const terminal = fakeTerminal()
    expect(await followSnapshots(restClient(url, undefined), { intervalMs: 10, stream: terminal.stream })).toEqual({
      followed: ['cdc task 0'],
      failed: [],
    })
    expect(terminal.text()).toContain('cdc task 0 public.orders [===============---------------] 500/1000 rows 50%')
    expect(terminal.text()).toContain('900/1000 rows 90%')
    expect(terminal.text()).toContain('1000/1000 rows 100%')
  })

  it('waits in a script too, and exits 1 when a snapshot fails', async () => {
    const done = await status(await standInWorker([snapshot(100), snapshot(500), task('RUNNING', { phase: 'streaming' })]), '--follow')
    expect(done.stdout).toContain(`cdc task 0 snapshot of public.orders [${'#'.repeat(2)}${'.'.repeat(18)}] 100/1000 rows`)
    expect(done.stdout).toMatch(/snapshots ended: cdc task 0 done\n$/)
    expect(done.stderr).toBe('')
    close?.()
    const failed = await status(
      await standInWorker([snapshot(100), task('FAILED', { phase: 'snapshot', snapshot_rows_done: 100, snapshot_rows_estimated: 1000 })]),
      '--follow',
      '--json',
    ).catch((error: { code: number; stdout: string; stderr: string }) => error)
    expect(failed).toMatchObject({ code: 1, stderr: 'tributary: 1 snapshot(s) failed: cdc task 0\n' })
    expect(JSON.parse(failed.stdout.slice(failed.stdout.lastIndexOf('{\n')))).toEqual({
      snapshots_followed: ['cdc task 0'],
      snapshots_failed: ['cdc task 0'],
    })
  })

  it('returns at once when nothing snapshots', async () => {
    const url = await standInWorker([task('RUNNING', { phase: 'streaming' })])
    expect(await followSnapshots(restClient(url, undefined), { intervalMs: 10, stream: fakeTerminal().stream })).toEqual({
      followed: [],
      failed: [],
    })
  })
})
