/**
 * What the conformance tests against Debezium share: a record as JsonConverter (schemas on) writes
 * its key and value, read back losslessly, from Tributary's side and from the oracle's; polling a
 * task until it has given enough; and the field-by-field differences between two captures, with the
 * fields each test leaves out (and says why) per operation.
 */
import { createPlainConverters } from '../../core/runtime/converters.ts'
import type { SourceRecord, SourceTask } from '../../core/runtime/plugin.ts'
import { parseJsonLossless } from '../../core/runtime/schema/lossless-json.ts'
import type { DebeziumRecord } from './debezium.ts'
import { jsonDifferences } from './json-diff.ts'

export interface Captured {
  readonly topic: string
  readonly key: unknown
  readonly value: unknown
}

/** Fields left out of a comparison: a path pattern and why. */
export type Ignored = ReadonlyArray<readonly [RegExp, string]>

const converters = createPlainConverters({ 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' })

export function capturedRecord(record: SourceRecord): Captured {
  const key = converters.key.fromData(record.topic, record.key, record.keySchema)
  const value = converters.value.fromData(record.topic, record.value, record.valueSchema)
  return {
    topic: record.topic,
    key: key === null ? null : parseJsonLossless(key.toString('utf8')),
    value: value === null ? null : parseJsonLossless(value.toString('utf8')),
  }
}

export function oracleCaptured(event: DebeziumRecord): Captured {
  return {
    topic: event.topic,
    key: event.keyJson === null ? null : parseJsonLossless(event.keyJson),
    value: event.valueJson === null ? null : parseJsonLossless(event.valueJson),
  }
}

export async function pollUntil(
  task: SourceTask,
  records: SourceRecord[],
  count: number,
  timeoutMs: number,
  source: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (records.length < count) {
    if (Date.now() > deadline) throw new Error(`${source} gave ${records.length} of ${count} records`)
    records.push(...(await task.poll(new AbortController().signal)))
  }
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)

/** Every difference of `actual` from Debezium's `expected`, record by record, but for the fields `ignoredFor` the record's op leaves out. */
export function recordDifferences(
  expected: readonly Captured[],
  actual: readonly Captured[],
  ignoredFor: (op: string | undefined) => Ignored,
  source: string,
): string[] {
  const report: string[] = []
  for (let index = 0; index < Math.max(expected.length, actual.length); index++) {
    const oracle = expected[index]
    const ours = actual[index]
    if (oracle === undefined || ours === undefined) {
      report.push(`record ${index}: ${oracle === undefined ? 'extra' : 'missing'}`)
      continue
    }
    const op = (oracle.value as { payload?: { op?: string } } | null)?.payload?.op
    const ignored = ignoredFor(op)
    for (const difference of jsonDifferences({ key: oracle.key, value: oracle.value }, { key: ours.key, value: ours.value }, (path) =>
      ignored.some(([pattern]) => pattern.test(path)),
    )) {
      report.push(
        `record ${index} (${op ?? 'tombstone'}) ${difference.path}: Debezium ${JSON.stringify(difference.expected, bigints)}, ${source} ${JSON.stringify(difference.actual, bigints)}`,
      )
    }
  }
  return report
}
