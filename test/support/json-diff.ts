/**
 * Field-by-field differences between two parsed JSON documents (an oracle's record and ours), each
 * named by its path (`value.payload.after.price`), so a conformance test reports every mismatch at
 * once instead of the first. Paths `ignored` says legitimately differ are skipped.
 */

export interface JsonDifference {
  readonly path: string
  readonly expected: unknown
  readonly actual: unknown
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

export function jsonDifferences(
  expected: unknown,
  actual: unknown,
  ignored: (path: string) => boolean = () => false,
  path = '',
): JsonDifference[] {
  if (ignored(path)) return []
  if (kind(expected) !== kind(actual)) return [{ path, expected, actual }]
  if (Array.isArray(expected)) {
    const other = actual as unknown[]
    const differences: JsonDifference[] = []
    for (let index = 0; index < Math.max(expected.length, other.length); index++) {
      // A schema's fields are named by their `field`.
      const named = (expected[index] as { field?: unknown } | undefined)?.field ?? (other[index] as { field?: unknown } | undefined)?.field
      const child = `${path}[${typeof named === 'string' ? named : index}]`
      if (index >= expected.length || index >= other.length)
        differences.push({ path: child, expected: expected[index], actual: other[index] })
      else differences.push(...jsonDifferences(expected[index], other[index], ignored, child))
    }
    return differences
  }
  if (expected !== null && typeof expected === 'object') {
    const other = actual as Record<string, unknown>
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(other)])]
    const differences: JsonDifference[] = []
    const expectedKeys = Object.keys(expected)
    const actualKeys = Object.keys(other).filter((key) => !ignored(path === '' ? key : `${path}.${key}`))
    // Key order is part of JsonConverter's output.
    if (
      expectedKeys.filter((key) => !ignored(path === '' ? key : `${path}.${key}`)).join(',') !== actualKeys.join(',') &&
      keys.every((key) => key in expected && key in other)
    ) {
      differences.push({ path: `${path}{order}`, expected: expectedKeys, actual: Object.keys(other) })
    }
    for (const key of keys) {
      const child = path === '' ? key : `${path}.${key}`
      if (!(key in other) || !(key in expected)) {
        if (!ignored(child)) differences.push({ path: child, expected: (expected as Record<string, unknown>)[key], actual: other[key] })
      } else {
        differences.push(...jsonDifferences((expected as Record<string, unknown>)[key], other[key], ignored, child))
      }
    }
    return differences
  }
  return Object.is(expected, actual) || (typeof expected === 'bigint' && expected === actual) ? [] : [{ path, expected, actual }]
}
