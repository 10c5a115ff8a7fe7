/**
 * ClassicGroupConsumer facing a coordinator out of reach, which the shared group suite cannot stage:
 * the embedded coordinator behind a stand-in that refuses JoinGroup as a moving coordinator does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TributaryError } from '../../../../core/errors.ts'
import { EmbeddedLog } from '../../../../core/log/embedded-log.ts'
import { ClassicGroupConsumer } from '../../../../core/log/groups/classic-group-consumer.ts'
import type { GroupMembership } from '../../../../core/log/groups/group-membership.ts'
import { ManualClock } from '../../../support/clock.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let clock: ManualClock
let log: EmbeddedLog

beforeEach(async () => {
  dir = await makeTempDir()
  clock = new ManualClock()
  log = await EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0 })
  await log.createTopic('t')
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

/** The log's coordinator, except that JoinGroup fails as a coordinator out of reach does. */
async function unreachableJoins(): Promise<GroupMembership> {
  const coordinator = await log.groups()
  return {
    joinGroup: () => Promise.reject(new TributaryError('TRB_LOG_UNAVAILABLE', 'the coordinator moved')),
    syncGroup: (request) => coordinator.syncGroup(request),
    heartbeat: (...args) => coordinator.heartbeat(...args),
    leaveGroup: (...args) => coordinator.leaveGroup(...args),
    commitOffsets: (...args) => coordinator.commitOffsets(...args),
    fetchOffsets: (...args) => coordinator.fetchOffsets(...args),
  }
}

describe('ClassicGroupConsumer with its coordinator out of reach', () => {
  it('fails subscribe at once rather than waiting for a coordinator no one could stop it waiting for', async () => {
    const deps = { log, membership: await unreachableJoins(), clock }
    await expect(ClassicGroupConsumer.subscribe(deps, { groupId: 'g', topics: ['t'] })).rejects.toMatchObject({
      code: 'TRB_LOG_UNAVAILABLE',
    })
  })
})
