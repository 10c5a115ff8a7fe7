/**
 * A group's view of a connector, read from the status topic that every worker of the group writes:
 * the status the REST API shows whichever worker runs the connector, and which other workers run
 * the parts a request is about, so the API can forward it there.
 */
import type { ConnectorInfo, ConnectorStatus, WorkScope } from './herder.ts'
import type { StatusStore } from './status-store.ts'

type ConnectorSummary = Pick<ConnectorInfo, 'type' | 'tasks'>

/** A connector's status as the status topic has it, whichever worker runs it. */
export function groupStatus(statuses: StatusStore, name: string, info: ConnectorSummary): ConnectorStatus {
  const connector = statuses.connector(name)
  if (info.type === 'unknown')
    return {
      name,
      connector: { state: 'FAILED', worker_id: connector?.worker_id ?? '', trace: connector?.trace ?? 'its config does not start' },
      tasks: [],
      type: 'unknown',
    }
  const tasks =
    connector?.state === 'STOPPED'
      ? []
      : info.tasks.map(({ task }) => {
          const status = statuses.task(name, task)
          return {
            id: task,
            state: status?.state ?? 'UNASSIGNED',
            worker_id: status?.worker_id ?? '',
            ...(status?.trace && { trace: status.trace }),
          }
        })
  return {
    name,
    connector: {
      state: connector?.state ?? 'UNASSIGNED',
      worker_id: connector?.worker_id ?? '',
      ...(connector?.trace && { trace: connector.trace }),
    },
    tasks,
    type: info.type,
  }
}

/**
 * The workers other than `self`, among the group's `peers`, that run the parts of a connector `scope`
 * picks, as the status topic has them.
 */
export function workersRunning(
  statuses: StatusStore,
  name: string,
  info: ConnectorSummary,
  scope: WorkScope,
  self: string,
  peers: ReadonlySet<string>,
): string[] {
  const picked = scope.tasks === true ? info.tasks.map(({ task }) => task) : scope.tasks === false ? [] : scope.tasks
  const candidates = [...(scope.connector ? [statuses.connector(name)] : []), ...picked.map((task) => statuses.task(name, task))]
  const workers = new Set<string>()
  for (const status of candidates) {
    // A status naming a worker outside the group is stale (it left or died): nothing to forward to.
    if (status === undefined || status.worker_id === self || !peers.has(status.worker_id)) continue
    if (scope.state === undefined || status.state === scope.state) workers.add(status.worker_id)
  }
  return [...workers]
}
