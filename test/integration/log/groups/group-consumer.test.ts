/** The shared group-member suite on EmbeddedLog, heartbeats driven by a ManualClock. */
import { EmbeddedLog } from '../../../../core/log/embedded-log.ts'
import { ManualClock } from '../../../support/clock.ts'
import { runGroupConsumerSuite } from '../../../support/group-consumer-suite.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

runGroupConsumerSuite(
  'EmbeddedLog',
  async () => {
    const dir = await makeTempDir()
    const clock = new ManualClock()
    const open = () => EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0 })
    let current = await open()
    return {
      log: current,
      async reopen() {
        await current.close()
        current = await open()
        return current
      },
      heartbeat: () => clock.advance(1000),
      async cleanup() {
        await current.close()
        await dir.remove()
      },
    }
  },
  { heartbeatIntervalMs: 1000, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000 },
)
