/**
 * How a worker group shares connectors and tasks out (the group leader's job), and the bytes that
 * carry it: member metadata and assignments of the `connect` protocol type, as JSON. Kafka Connect's
 * eager round-robin: connectors (their connector-level role) go round the members sorted by worker
 * id, then every task continues round the same circle, so a connector's tasks spread and the same
 * members and connectors always give the same plan.
 */
export const CONNECT_PROTOCOL_TYPE = 'connect'
export const CONNECT_PROTOCOL_NAME = 'tributary-eager'

export interface WorkerMetadata {
  readonly workerId: string
  /** The URL of the schema registry this worker serves, when it serves one. */
  readonly registryUrl?: string | undefined
}

export interface TaskRef {
  readonly connector: string
  readonly task: number
}

export interface WorkerAssignment {
  readonly connectors: readonly string[]
  readonly tasks: readonly TaskRef[]
  /** Every member's worker id in this generation: the workers REST requests may be forwarded to. */
  readonly workers: readonly string[]
  /**
   * The registry that writes `_schemas` for the whole group (as Confluent's registries elect one
   * leader): the first worker, by worker id, that serves a registry. The others send writes there.
   */
  readonly registryWriter?: string | undefined
}

export const EMPTY_ASSIGNMENT: WorkerAssignment = { connectors: [], tasks: [], workers: [] }

/** members: memberId → workerId; connectors: name → task count. Returns memberId → assignment. */
export function assignRoundRobin(
  members: ReadonlyMap<string, string>,
  connectors: ReadonlyMap<string, number>,
): Map<string, WorkerAssignment> {
  const order = [...members].sort(([ma, wa], [mb, wb]) => (wa === wb ? compare(ma, mb) : compare(wa, wb))).map(([memberId]) => memberId)
  const workers = [...new Set(order.map((memberId) => members.get(memberId)!))]
  const plan = new Map(order.map((memberId) => [memberId, { connectors: [] as string[], tasks: [] as TaskRef[], workers }]))
  if (order.length === 0) return plan
  const names = [...connectors.keys()].sort(compare)
  names.forEach((name, i) => {
    plan.get(order[i % order.length]!)!.connectors.push(name)
  })
  let next = 0
  for (const name of names) {
    for (let task = 0; task < connectors.get(name)!; task++) plan.get(order[next++ % order.length]!)!.tasks.push({ connector: name, task })
  }
  return plan
}

/** The registry writer of a generation, given to every member with its assignment. */
export function withRegistryWriter(
  plan: Map<string, WorkerAssignment>,
  members: ReadonlyMap<string, WorkerMetadata>,
): Map<string, WorkerAssignment> {
  const serving = [...members.values()]
    .filter((member) => member.registryUrl !== undefined)
    .sort((a, b) => compare(a.workerId, b.workerId) || compare(a.registryUrl as string, b.registryUrl as string))
  const writer = serving[0]?.registryUrl
  if (writer === undefined) return plan
  return new Map([...plan].map(([memberId, assignment]) => [memberId, { ...assignment, registryWriter: writer }]))
}

export function encodeWorkerMetadata(metadata: WorkerMetadata): Buffer {
  return Buffer.from(JSON.stringify(metadata), 'utf8')
}

export function decodeWorkerMetadata(bytes: Buffer): WorkerMetadata {
  const parsed = JSON.parse(bytes.toString('utf8')) as Partial<WorkerMetadata>
  return { workerId: String(parsed.workerId ?? ''), ...(typeof parsed.registryUrl === 'string' && { registryUrl: parsed.registryUrl }) }
}

export function encodeWorkerAssignment(assignment: WorkerAssignment): Buffer {
  return Buffer.from(JSON.stringify(assignment), 'utf8')
}

export function decodeWorkerAssignment(bytes: Buffer): WorkerAssignment {
  if (bytes.length === 0) return EMPTY_ASSIGNMENT
  const parsed = JSON.parse(bytes.toString('utf8')) as Partial<WorkerAssignment>
  return {
    connectors: parsed.connectors ?? [],
    tasks: parsed.tasks ?? [],
    workers: parsed.workers ?? [],
    ...(typeof parsed.registryWriter === 'string' && { registryWriter: parsed.registryWriter }),
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
