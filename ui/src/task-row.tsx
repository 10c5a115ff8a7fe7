/** One task: its state, what it reports (snapshot progress, positions), its last error, a restart button. */
import type { Action } from './actions.ts'
import { taskRestart } from './actions.ts'
import { formatCount, formatDuration } from './format.ts'
import { KeyValues } from './key-values.tsx'
import type { SnapshotProgress } from './snapshot-progress.ts'
import type { TaskStatus } from './types.ts'

interface Props {
  readonly connector: string
  readonly task: TaskStatus
  readonly snapshot: SnapshotProgress | undefined
  readonly onAction: (action: Action) => void
}

export function TaskRow({ connector, task, snapshot, onAction }: Props) {
  const restart = taskRestart(connector, task.id)
  const shownDetails = Object.entries(task.details ?? {}).filter(([key]) => snapshot === undefined || !key.startsWith('snapshot_rows'))
  return (
    <li class="task" data-task={task.id} data-state={task.state}>
      <div class="task-head">
        <span>Task {task.id}</span>
        <span class={`state state-${task.state.toLowerCase()}`}>{task.state}</span>
        <span class="muted">{task.worker_id}</span>
        <button type="button" class="small" aria-label={`Restart task ${task.id} of ${connector}`} onClick={() => onAction(restart)}>
          {restart.label}
        </button>
      </div>
      {snapshot && (
        <div class="snapshot">
          <label>
            Snapshot{snapshot.table !== undefined && ` of ${snapshot.table}`}: {formatCount(snapshot.done)} / ~
            {formatCount(snapshot.estimated)} rows
            {snapshot.etaSeconds !== undefined && `, about ${formatDuration(snapshot.etaSeconds)} left`}
            <progress max={1} value={snapshot.fraction} />
          </label>
        </div>
      )}
      <KeyValues entries={shownDetails} />
      {task.trace !== undefined && <ErrorTrace trace={task.trace} />}
    </li>
  )
}

/** The first line of a trace is its message; the rest opens on demand. */
export function ErrorTrace({ trace }: { trace: string }) {
  const [message, ...rest] = trace.split('\n')
  return (
    <div class="error">
      <p class="error-message">{message}</p>
      {rest.length > 0 && (
        <details>
          <summary>Trace</summary>
          <pre>{rest.join('\n')}</pre>
        </details>
      )}
    </div>
  )
}
