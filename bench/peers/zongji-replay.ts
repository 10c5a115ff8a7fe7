/**
 * zongji alone as a peer: replays [from, to) of the binlog with the options and events mysql-cdc
 * uses, counts the rows and does nothing else with them. What a Node decoder on zongji reaches on
 * this machine: the ceiling for mysql-cdc, beside mariadb-binlog's raw read.
 */
import ZongJi, { type AnyBinlogEvent } from '@vlasky/zongji'
import { BINLOG_EVENTS, type BinlogPosition } from '../../connectors/mysql/source/binlog-stream.ts'
import type { ConnectionSettings } from '../../connectors/mysql/shared/connection-settings.ts'
import { driverOptions } from '../../connectors/mysql/shared/mysql-options.ts'
import { perSecond, round } from '../lib/stats.ts'

export interface ReplayResult {
  readonly rowsPerSec: number
  /** This process's CPU time (user + system) per row. */
  readonly cpuUsPerRow: number
}

export async function replayWithZongji(
  settings: ConnectionSettings,
  serverId: number,
  from: BinlogPosition,
  to: BinlogPosition,
): Promise<ReplayResult> {
  const zongji = new ZongJi(driverOptions(settings))
  let rows = 0
  let file = from.file
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  try {
    await new Promise<void>((resolve, reject) => {
      zongji.on('error', reject)
      zongji.on('binlog', (event: AnyBinlogEvent) => {
        if (event.getEventName() === 'rotate') file = (event as { binlogName: string }).binlogName
        rows += (event as { rows?: unknown[] }).rows?.length ?? 0
        if (file === to.file && event.nextPosition >= to.pos) resolve()
      })
      zongji.start({ serverId, filename: from.file, position: from.pos, includeEvents: BINLOG_EVENTS })
    })
  } finally {
    zongji.stop()
  }
  const elapsedMs = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  return { rowsPerSec: perSecond(rows, elapsedMs), cpuUsPerRow: round((cpu.user + cpu.system) / rows, 2) }
}
