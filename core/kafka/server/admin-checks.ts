/**
 * What several admin APIs share: answering each named entry of a request (a name repeated in one
 * request is refused), and the replica placements this one-broker cluster can honour.
 */

/**
 * Answers the entries one at a time, in order. A name given more than once is answered once, by
 * `duplicate`, and none of its entries is acted on, as Kafka does.
 */
export async function answerEach<T extends { readonly name: string }, R>(
  entries: readonly T[],
  duplicate: (name: string) => R,
  answer: (entry: T) => Promise<R>,
): Promise<R[]> {
  const duplicates = duplicateNames(entries.map((entry) => entry.name))
  const results = [...duplicates].map(duplicate)
  for (const entry of entries) {
    if (!duplicates.has(entry.name)) results.push(await answer(entry))
  }
  return results
}

function duplicateNames(names: readonly string[]): Set<string> {
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) duplicates.add(name)
    seen.add(name)
  }
  return duplicates
}

/** Why a manual replica list cannot be placed here, or undefined when it can: only [0] can. */
export function replicaPlacementProblem(brokerIds: readonly number[]): string | undefined {
  if (brokerIds.length === 1 && brokerIds[0] === 0) return undefined
  return `replicas [${brokerIds.join(', ')}] cannot be placed: this cluster has one broker, node 0, so each partition's replicas must be [0]`
}
