/**
 * The order a java.util.HashMap (or HashSet) iterates its string keys in. Confluent's JSON Schema
 * text is printed by everit-json-schema and org.json, which keep properties, keywords, parameters and
 * enum symbols in hash maps, so a registered schema lists them in that order, not in the fields'
 * order. A HashMap iterates bucket by bucket (String.hashCode, spread, masked by the capacity) and a
 * bucket in insertion order; resizing keeps that relative order, so the final capacity is all that
 * counts. (A bucket of nine or more keys in a table of 64 or more becomes a tree, whose order this
 * does not follow; field names that collide so are not met in practice.)
 */

/** Java's String.hashCode, over UTF-16 code units as Java counts them. */
export function javaStringHash(text: string): number {
  let hash = 0
  for (let index = 0; index < text.length; index++) hash = (Math.imul(31, hash) + text.charCodeAt(index)) | 0
  return hash
}

const spread = (hash: number): number => hash ^ (hash >>> 16)
const bucketOf = (key: string | null, capacity: number): number => (key === null ? 0 : spread(javaStringHash(key))) & (capacity - 1)
const tableSizeFor = (wanted: number): number => {
  let size = 1
  while (size < wanted) size *= 2
  return size
}

/**
 * How the map was made: `default` is `new HashMap<>()` filled key by key, `copy` is
 * `new HashMap<>(other)` (Java 17's sizing), `sized` is `new HashMap<>(keys.length)` filled key by key
 * (org.json's JSONObject of a map).
 */
export type HashMapMaking = 'default' | 'copy' | 'sized'

function finalCapacity(keys: readonly (string | null)[], making: HashMapMaking): number {
  let capacity =
    making === 'default' ? 16 : making === 'copy' ? tableSizeFor(Math.floor(keys.length / 0.75 + 1)) : tableSizeFor(keys.length)
  let counts = new Map<number, number>()
  const recount = (upTo: number) => {
    counts = new Map()
    for (let index = 0; index < upTo; index++) {
      const bucket = bucketOf(keys[index] as string | null, capacity)
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1)
    }
  }
  for (let index = 0; index < keys.length; index++) {
    const bucket = bucketOf(keys[index] as string | null, capacity)
    const count = (counts.get(bucket) ?? 0) + 1
    counts.set(bucket, count)
    let resized = false
    // A ninth key in one bucket of a small table resizes it instead of making a tree.
    if (count >= 9 && capacity < 64) {
      capacity *= 2
      resized = true
    }
    if (index + 1 > Math.floor(capacity * 0.75)) {
      capacity *= 2
      resized = true
    }
    if (resized) recount(index + 1)
  }
  return capacity
}

/** The keys (in the order they were put, or the source map's order for `copy`) in the map's iteration order. */
export function javaHashMapOrder<K extends string | null>(keys: readonly K[], making: HashMapMaking = 'default'): K[] {
  if (keys.length < 2) return [...keys]
  const capacity = finalCapacity(keys, making)
  return keys
    .map((key, index) => ({ key, index, bucket: bucketOf(key, capacity) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key)
}
