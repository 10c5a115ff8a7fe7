/** `tributary connectors list|status|pause|resume|restart|delete` over the REST API. */
import { CliError, EXIT } from './cli-error.ts'
import { parse, required } from './args.ts'
import { printJson, printTable } from './output.ts'
import { snapshotDetails } from './snapshot-details.ts'

/** The flags of `tributary connectors`, besides the common ones (args.ts). */
export const CONNECTORS_OPTIONS = {
  'connector-only': { type: 'boolean', default: false },
  'only-failed': { type: 'boolean', default: false },
} as const

interface Status {
  name: string
  type: string
  connector: { state: string; trace?: string }
  tasks: Array<{ id: number; state: string; trace?: string; details?: Record<string, unknown> }>
}

export async function connectorsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  const { positionals, json, client, values } = parse(rest, CONNECTORS_OPTIONS)
  const name = () => encodeURIComponent(required(positionals[0], 'connector name'))
  switch (action) {
    case 'list': {
      const all = await client.request<Record<string, { status: Status }>>('GET', '/connectors?expand=status')
      if (json) return printJson(all)
      return printTable(
        Object.values(all).map(({ status }) => ({
          name: status.name,
          type: status.type,
          state: status.connector.state,
          tasks: status.tasks.map((t) => `${t.id}:${t.state}`).join(' ') || '-',
        })),
        ['name', 'type', 'state', 'tasks'],
      )
    }
    case 'status': {
      const status = await client.request<Status>('GET', `/connectors/${name()}/status`)
      if (json) return printJson(status)
      process.stdout.write(`${status.name} (${status.type}): ${status.connector.state}\n`)
      if (status.connector.trace) process.stdout.write(`  ${status.connector.trace.split('\n')[0]}\n`)
      printTable(
        status.tasks.map((t) => ({ task: t.id, state: t.state, error: t.trace?.split('\n')[0] })),
        ['task', 'state', 'error'],
      )
      for (const task of status.tasks) {
        if (task.details === undefined) continue
        const snapshot = snapshotDetails(task.details)
        const progress =
          snapshot !== undefined && snapshot.estimated > 0
            ? ` (${Math.min(100, Math.round((snapshot.done / snapshot.estimated) * 100))}% of the snapshot)`
            : ''
        process.stdout.write(
          `task ${task.id}: ${Object.entries(task.details)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ')}${progress}\n`,
        )
      }
      return
    }
    case 'pause':
    case 'resume':
    case 'stop':
      await client.request('PUT', `/connectors/${name()}/${action}`)
      return report(json, { name: positionals[0], action })
    case 'restart': {
      const query = `includeTasks=${values['connector-only'] !== true}&onlyFailed=${values['only-failed'] === true}`
      await client.request('POST', `/connectors/${name()}/restart?${query}`)
      return report(json, { name: positionals[0], action })
    }
    case 'delete':
      await client.request('DELETE', `/connectors/${name()}`)
      return report(json, { name: positionals[0], action })
    default:
      throw new CliError(
        `unknown connectors action "${action ?? ''}"; use list, status, pause, resume, stop, restart or delete`,
        EXIT.usage,
      )
  }
}

function report(json: boolean, result: { name: string | undefined; action: string }): void {
  if (json) printJson({ ...result, ok: true })
  else process.stdout.write(`${result.action}: ${result.name} ok\n`)
}
