/** One connector: name, kind, state, records/s, sink lag, errors and dead letters, its actions and its tasks. */
import type { Action } from './actions.ts'
import { connectorActions } from './actions.ts'
import { countOf, formatCount } from './format.ts'
import { snapshotProgress, type FirstSeen } from './snapshot-progress.ts'
import { Sparkline } from './sparkline.tsx'
import { ErrorTrace, TaskRow } from './task-row.tsx'
import type { ConnectorInfo, ConnectorStatus, ConnectorTotals } from './types.ts'

interface Props {
  readonly status: ConnectorStatus
  readonly info: ConnectorInfo
  readonly totals: ConnectorTotals | undefined
  readonly rates: readonly number[]
  /** The dead-letter topic the connector names, with the records in it. */
  readonly deadLetters: { readonly topic: string; readonly count: number } | undefined
  readonly snapshots: Readonly<Record<string, FirstSeen>>
  readonly at: number
  readonly onAction: (action: Action) => void
}

export function ConnectorCard({ status, info, totals, rates, deadLetters, snapshots, at, onAction }: Props) {
  const name = status.name
  const state = status.connector.state
  const plugin = info.config['connector.class'] ?? 'unknown plugin'
  return (
    <article class="connector" data-connector={name} data-state={state} aria-labelledby={`connector-${name}`}>
      <header class="connector-head">
        <h2 id={`connector-${name}`}>{name}</h2>
        <span class={`state state-${state.toLowerCase()}`}>{state}</span>
      </header>
      <p class="muted">
        {status.type} · {plugin}
      </p>
      <div class="figures">
        <Sparkline values={rates} label={status.type === 'sink' ? 'out' : 'in'} />
        {status.type === 'sink' && totals !== undefined && <span>lag {formatCount(totals.sink_lag_records)}</span>}
        {totals !== undefined && totals.record_errors > 0 && <span class="bad">{countOf(totals.record_errors, 'failed record')}</span>}
        {deadLetters !== undefined && (
          <a
            href={`#/topics/${encodeURIComponent(deadLetters.topic)}`}
            class={deadLetters.count > 0 ? 'bad' : ''}
            data-dead-letters={deadLetters.count}
          >
            {countOf(deadLetters.count, 'dead letter')} in {deadLetters.topic}
          </a>
        )}
      </div>
      {status.connector.trace !== undefined && <ErrorTrace trace={status.connector.trace} />}
      <div class="actions">
        {connectorActions(name, state).map((action) => (
          <button
            key={action.label}
            type="button"
            class={action.danger ? 'danger' : ''}
            aria-label={`${action.label} ${name}`}
            onClick={() => onAction(action)}
          >
            {action.label}
          </button>
        ))}
      </div>
      {status.tasks.length > 0 && (
        <ul class="tasks" aria-label={`Tasks of ${name}`}>
          {status.tasks.map((task) => (
            <TaskRow
              key={task.id}
              connector={name}
              task={task}
              snapshot={snapshotProgress(task.details, snapshots[`${name}/${task.id}`], at)}
              onAction={onAction}
            />
          ))}
        </ul>
      )}
    </article>
  )
}
