/** The worker's refusals, each with the code the REST API turns into its status. */
import { TributaryError } from '../errors.ts'

export function notFound(name: string): never {
  throw new TributaryError('TRB_CONNECTOR_NOT_FOUND', `Connector ${name} not found`, { details: { name } })
}

export function taskNotFound(name: string, task: number): never {
  throw new TributaryError('TRB_TASK_NOT_FOUND', `Task ${name}-${task} not found`, { details: { name, task } })
}

export function stateError(name: string, why: string): never {
  throw new TributaryError('TRB_CONNECTOR_STATE', `Connector ${name}: ${why}`, { details: { name } })
}

/** In a group: the work is another worker's, and the request reached this one anyway. */
export function notAssigned(name: string, why: string): never {
  throw new TributaryError('TRB_NOT_ASSIGNED', `Connector ${name}: ${why}`, { details: { name } })
}
