/**
 * The Herder seam's one suite (core/runtime/herder.ts), run against every herder as the Log suite is
 * against every log: what the REST API, the CLI and pipeline files may count on whichever mode the
 * worker is in. A connector created, replaced, paused, resumed, stopped and deleted; refusals with
 * their codes; offsets edited only while the connector is stopped. The herder under test is the
 * only worker of its log (a distributed one is the only member of its group, so it runs everything).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../core/errors.ts'
import type { Herder } from '../../core/runtime/herder.ts'
import type { ConnectorConfig } from '../../core/runtime/plugin.ts'
import { eventually } from './worker-harness.ts'

export interface HerderUnderTest {
  readonly herder: Herder
  /** A directory the worker's sandbox lets file connectors read and write. */
  readonly dir: string
  close(): Promise<void>
}

/** Resolves with the TributaryError code the promise rejects with (fails when it resolves). */
async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    if (isTributaryError(error)) return error.code
    throw error
  }
  throw new Error('expected a refusal, got an answer')
}

const connectorState = (herder: Herder, name: string) => herder.status(name).connector.state
const taskStates = (herder: Herder, name: string) =>
  herder
    .status(name)
    .tasks.map((task) => task.state)
    .join(',')

export function runHerderSuite(name: string, open: () => Promise<HerderUnderTest>): void {
  describe(`the herder seam: ${name}`, () => {
    let under: HerderUnderTest
    let herder: Herder
    let source: ConnectorConfig

    beforeEach(async () => {
      under = await open()
      herder = under.herder
      const file = path.join(under.dir, 'in.txt')
      fs.writeFileSync(file, 'one\ntwo\n')
      source = { 'connector.class': 'file-source', file, topic: 'lines' }
    })
    afterEach(async () => {
      await under.close()
    })

    it('creates a connector, runs its task and answers for it; a second create of the name is refused', async () => {
      const info = await herder.create('src', source)
      expect(info).toEqual({ name: 'src', config: source, tasks: [{ connector: 'src', task: 0 }], type: 'source' })
      expect(herder.has('src')).toBe(true)
      expect(herder.connectorNames()).toEqual(['src'])
      expect(herder.config('src')).toEqual(source)
      expect(herder.targetState('src')).toBe('STARTED')
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
      expect(connectorState(herder, 'src')).toBe('RUNNING')
      expect(await codeOf(herder.create('src', source))).toBe('TRB_CONNECTOR_EXISTS')
    })

    it('refuses an invalid config or name, and stores nothing', async () => {
      expect(herder.validate({ 'connector.class': 'no-such-plugin' }).plugin).toBeUndefined()
      expect(await codeOf(herder.create('bad', { 'connector.class': 'file-source' }))).toBe('TRB_CONNECTOR_CONFIG_INVALID')
      expect(await codeOf(herder.create('a/b', source))).toBe('TRB_CONNECTOR_CONFIG_INVALID')
      expect(herder.connectorNames()).toEqual([])
      expect(await codeOf(() => herder.status('bad'))).toBe('TRB_CONNECTOR_NOT_FOUND')
    })

    it('puts a config: created once, unchanged changes nothing, a new one replaces it', async () => {
      expect((await herder.putConfig('src', source)).created).toBe(true)
      expect((await herder.putConfig('src', source)).created).toBe(false)
      const replaced = { ...source, topic: 'other' }
      const { created, info } = await herder.putConfig('src', replaced)
      expect(created).toBe(false)
      expect(info.config).toEqual(replaced)
      expect(herder.config('src')).toEqual(replaced)
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
    })

    it('pauses, resumes and stops a connector as its target state says', async () => {
      await herder.create('src', source)
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
      await herder.pause('src')
      expect(herder.targetState('src')).toBe('PAUSED')
      await eventually(
        () => `${connectorState(herder, 'src')}/${taskStates(herder, 'src')}`,
        (states) => states === 'PAUSED/PAUSED',
      )
      await herder.resume('src')
      await eventually(
        () => `${connectorState(herder, 'src')}/${taskStates(herder, 'src')}`,
        (states) => states === 'RUNNING/RUNNING',
      )
      await herder.stop('src')
      expect(herder.targetState('src')).toBe('STOPPED')
      await eventually(
        () => connectorState(herder, 'src'),
        (state) => state === 'STOPPED',
      )
    })

    it("edits a source's offsets only while it is stopped", async () => {
      await herder.create('src', source)
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
      const entry = { partition: { file: source.file }, offset: { position: 4 } }
      expect(await codeOf(herder.alterOffsets('src', [entry]))).toBe('TRB_CONNECTOR_STATE')
      await herder.stop('src')
      await eventually(
        () => connectorState(herder, 'src'),
        (state) => state === 'STOPPED',
      )
      await herder.alterOffsets('src', [entry])
      expect(await herder.listOffsets('src')).toEqual([entry])
      await herder.resetOffsets('src')
      expect(await herder.listOffsets('src')).toEqual([])
    })

    it('deletes a connector: gone from every answer, and its name free again', async () => {
      await herder.create('src', source)
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
      await herder.delete('src')
      expect(herder.has('src')).toBe(false)
      expect(herder.connectorNames()).toEqual([])
      expect(await codeOf(() => herder.config('src'))).toBe('TRB_CONNECTOR_NOT_FOUND')
      expect(await codeOf(herder.delete('src'))).toBe('TRB_CONNECTOR_NOT_FOUND')
      expect(await codeOf(herder.pause('src'))).toBe('TRB_CONNECTOR_NOT_FOUND')
      await herder.create('src', source)
      expect(herder.has('src')).toBe(true)
    })

    it('refuses to restart a task the connector does not have', async () => {
      await herder.create('src', source)
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
      expect(await codeOf(herder.restartTask('src', 7))).toBe('TRB_TASK_NOT_FOUND')
      await herder.restartTask('src', 0)
      await eventually(
        () => taskStates(herder, 'src'),
        (states) => states === 'RUNNING',
      )
    })
  })
}
