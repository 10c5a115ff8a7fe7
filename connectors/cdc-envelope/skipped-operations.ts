/**
 * Debezium's `skipped.operations`: the kinds of streamed change a CDC source does not emit, as a
 * comma-separated list of c (insert), u (update), d (delete) and t (truncate), or `none`. Debezium's
 * default skips truncates, which a consumer that rebuilds a table from keyed events cannot apply, and
 * so does ours. Snapshot reads (r) are never skipped. A skipped delete takes its tombstone with it; an
 * update that changes the key (a delete and a create in the events) is skipped with updates.
 */
import { z } from 'zod'

const OPERATIONS = ['c', 'u', 'd', 't'] as const

export type StreamedOperation = (typeof OPERATIONS)[number]

export const skippedOperationsSetting = z
  .string()
  .default('t')
  .refine(
    (value) => value.trim() === 'none' || value.split(',').every((item) => (OPERATIONS as readonly string[]).includes(item.trim())),
    'must be none, or a comma-separated list of c, u, d and t',
  )
  .transform(
    (value): ReadonlySet<StreamedOperation> =>
      new Set(value.trim() === 'none' ? [] : value.split(',').map((item) => item.trim() as StreamedOperation)),
  )
  .describe(
    "Streamed changes not to emit: a comma-separated list of c (insert), u (update), d (delete, and its tombstone) and t (truncate), or none. Debezium's default: truncates are skipped",
  )
