/**
 * `tributary status`: the dashboard's overview on one screen. Every connector with its state, its
 * tasks' states, records/s over a short sample (`--sample-ms`, 0 to skip), records moved since the
 * worker started, sink lag and failed records; then each failed task's error and each running
 * snapshot's progress. `--follow` then draws the snapshots' progress until they end.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { CliError, EXIT } from './cli-error.ts'
import { parse } from './args.ts'
import { printJson, printTable } from './output.ts'
import { snapshotDetails } from './snapshot-details.ts'
import { followSnapshots } from './snapshot-follow.ts'

interface Totals {
  source_records_written: number
  sink_records_put: number
  record_errors: number
  sink_lag_records: number
}
interface Reading {
  at: number
  connectors: Record<string, Totals>
}
interface Task {
  id: number
  state: string
  trace?: string
  details?: Record<string, unknown>
}
interface Expanded {
  [name: string]: {
    status: { type: string; connector: { state: string; trace?: string }; tasks: Task[] }
    info: { config: Record<string, string> }
  }
}

/** The flags of `tributary status`, besides the common ones (args.ts). */
export const STATUS_OPTIONS = { 'sample-ms': { type: 'string', default: '1000' }, follow: { type: 'boolean', default: false } } as const

export interface StatusRow {
  name: string
  type: string
  plugin: string | undefined
  state: string
  tasks: string
  'records/s': number | undefined
  records: number
  lag: number | undefined
  errors: number
}

export async function statusCommand(args: string[]): Promise<void> {
  const { json, client, values } = parse(args, STATUS_OPTIONS)
  const sampleMs = Number(values['sample-ms'])
  if (!Number.isInteger(sampleMs) || sampleMs < 0) throw new CliError('--sample-ms must be a whole number of milliseconds', EXIT.usage)
  const first = await client.request<Reading>('GET', '/metrics/connectors')
  if (sampleMs > 0) await sleep(sampleMs)
  const [connectors, last] = await Promise.all([
    client.request<Expanded>('GET', '/connectors?expand=status&expand=info'),
    sampleMs > 0 ? client.request<Reading>('GET', '/metrics/connectors') : first,
  ])
  const flow = (totals: Totals | undefined) => (totals === undefined ? 0 : totals.source_records_written + totals.sink_records_put)
  const seconds = (last.at - first.at) / 1000
  const rows: StatusRow[] = Object.keys(connectors)
    .sort()
    .map((name) => {
      const { status, info } = connectors[name]!
      const totals = last.connectors[name]
      return {
        name,
        type: status.type,
        plugin: info.config['connector.class'],
        state: status.connector.state,
        tasks: status.tasks.map((task) => `${task.id}:${task.state}`).join(' ') || '-',
        'records/s': seconds > 0 ? Math.round((Math.max(0, flow(totals) - flow(first.connectors[name])) / seconds) * 10) / 10 : undefined,
        records: flow(totals),
        lag: status.type === 'sink' ? (totals?.sink_lag_records ?? 0) : undefined,
        errors: totals?.record_errors ?? 0,
      }
    })
  if (json) printJson({ sampled_ms: sampleMs, connectors: rows.map((row) => ({ ...row, status: connectors[row.name]!.status })) })
  else printOverview(rows, connectors)
  if (values.follow !== true) return
  const { followed, failed } = await followSnapshots(client)
  if (json) printJson({ snapshots_followed: followed, snapshots_failed: failed })
  else if (followed.length > 0)
    process.stdout.write(`snapshots ended: ${followed.map((key) => `${key} ${failed.includes(key) ? 'FAILED' : 'done'}`).join(', ')}\n`)
  if (failed.length > 0) throw new CliError(`${failed.length} snapshot(s) failed: ${failed.join(', ')}`, EXIT.failure)
}

function printOverview(rows: StatusRow[], connectors: Expanded): void {
  if (rows.length === 0) {
    process.stdout.write('no connectors\n')
    return
  }
  printTable(rows as unknown as Array<Record<string, unknown>>, [
    'name',
    'type',
    'plugin',
    'state',
    'tasks',
    'records/s',
    'records',
    'lag',
    'errors',
  ])
  for (const name of Object.keys(connectors).sort()) {
    const { status } = connectors[name]!
    if (status.connector.trace !== undefined) process.stdout.write(`${name} FAILED: ${status.connector.trace.split('\n')[0]}\n`)
    for (const task of status.tasks) {
      if (task.trace !== undefined) process.stdout.write(`${name} task ${task.id} ${task.state}: ${task.trace.split('\n')[0]}\n`)
      const snapshot = snapshotLine(task.details)
      if (snapshot !== undefined) process.stdout.write(`${name} task ${task.id} ${snapshot}\n`)
    }
  }
}

/** `snapshot of public.orders [#####.....] 500/1000 rows` while a CDC task reports its snapshot. */
export function snapshotLine(details: Record<string, unknown> | undefined): string | undefined {
  const snapshot = snapshotDetails(details)
  if (snapshot === undefined || !Number.isFinite(snapshot.done) || !Number.isFinite(snapshot.estimated)) return undefined
  const { done, estimated } = snapshot
  const width = 20
  const filled = estimated > 0 ? Math.min(width, Math.round((done / estimated) * width)) : 0
  const table = snapshot.table !== undefined ? ` of ${snapshot.table}` : ''
  return `snapshot${table} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${estimated} rows`
}
