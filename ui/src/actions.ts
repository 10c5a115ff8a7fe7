/** What an operator can do to a connector or a task, as REST calls with the question asked before each. */
import type { State } from './types.ts'

export interface Action {
  /** The button's text. */
  readonly label: string
  /** What it acts on, as the notice after it names it. */
  readonly target: string
  /** The confirmation's question. */
  readonly question: string
  readonly method: 'PUT' | 'POST' | 'DELETE'
  readonly path: string
  readonly danger: boolean
}

export function connectorActions(name: string, state: State): Action[] {
  const at = `/connectors/${encodeURIComponent(name)}`
  const actions: Action[] = []
  if (state === 'RUNNING' || state === 'UNASSIGNED') {
    actions.push({
      label: 'Pause',
      target: name,
      question: `Pause ${name}? Its tasks stop moving records until resumed.`,
      method: 'PUT',
      path: `${at}/pause`,
      danger: false,
    })
  }
  if (state === 'PAUSED' || state === 'STOPPED') {
    actions.push({ label: 'Resume', target: name, question: `Resume ${name}?`, method: 'PUT', path: `${at}/resume`, danger: false })
  }
  actions.push(
    {
      label: 'Restart',
      target: name,
      question: `Restart ${name} and all its tasks?`,
      method: 'POST',
      path: `${at}/restart?includeTasks=true`,
      danger: false,
    },
    {
      label: 'Delete',
      target: name,
      question: `Delete ${name}? Its config and status go, and a CDC source drops its replication slot; its topics stay.`,
      method: 'DELETE',
      path: at,
      danger: true,
    },
  )
  return actions
}

export function taskRestart(name: string, task: number): Action {
  return {
    label: 'Restart task',
    target: `task ${task} of ${name}`,
    question: `Restart task ${task} of ${name}?`,
    method: 'POST',
    path: `/connectors/${encodeURIComponent(name)}/tasks/${task}/restart`,
    danger: false,
  }
}
