/**
 * Debezium's ExtractNewRecordState: a change event's value becomes its new row (`after`). Deletes
 * become a tombstone, or are dropped (`delete.handling.mode=drop`), or keep the old row with
 * `__deleted: "true"` (`rewrite`). `add.fields=op,table,lsn` copies envelope or source fields in as
 * `__op`, `__table`, `__lsn`. Values that are not change events pass unchanged.
 */
import { z } from 'zod'
import type { Schema } from '../plugin.ts'
import { commaList, defineTransform, isPlainObject } from './transform.ts'

const schema = z.object({
  'delete.handling.mode': z.enum(['drop', 'none', 'rewrite']).default('none').describe('What a delete becomes: none = tombstone, drop, or rewrite (old row + __deleted)'),
  'drop.tombstones': z.enum(['true', 'false']).default('true').describe('Drop tombstones that follow deletes'),
  'add.fields': commaList.optional().describe('Envelope or source fields to add as __<name>'),
})

/** The row's schema in an envelope's schema; fields added beside the row have none here, so the value goes without. */
function rowSchema(envelope: Schema | undefined): Schema | undefined {
  return envelope?.fields?.find((field) => field.name === 'after')?.schema
}

function isEnvelope(value: unknown): value is { op: string; before?: unknown; after?: unknown; source?: Record<string, unknown> } {
  return isPlainObject(value) && typeof value.op === 'string' && ('after' in value || 'before' in value)
}

export const extractNewState = defineTransform({
  name: 'extract-new-state',
  aliases: ['io.debezium.transforms.ExtractNewRecordState', 'ExtractNewRecordState', 'unwrap'],
  description: 'Turns a change event into the row state it leaves behind',
  config: schema,
  create(config) {
    const added = config['add.fields'] ?? []
    return {
      apply(record) {
        if (record.value === null || record.value === undefined) return config['drop.tombstones'] === 'true' ? null : record
        if (!isEnvelope(record.value)) return record
        const envelope = record.value
        const extras = Object.fromEntries(added.map((field) => [`__${field}`, field in envelope ? (envelope as Record<string, unknown>)[field] : envelope.source?.[field] ?? null]))
        if (envelope.op === 'd') {
          if (config['delete.handling.mode'] === 'drop') return null
          if (config['delete.handling.mode'] === 'none') return { ...record, value: null, valueSchema: undefined }
          return { ...record, value: { ...(isPlainObject(envelope.before) ? envelope.before : {}), ...extras, __deleted: 'true' }, valueSchema: undefined }
        }
        if (!isPlainObject(envelope.after)) return envelope.op === 't' ? null : record
        const rewrite = config['delete.handling.mode'] === 'rewrite'
        const valueSchema = added.length === 0 && !rewrite ? rowSchema(record.valueSchema) : undefined
        return { ...record, value: { ...envelope.after, ...extras, ...(rewrite && { __deleted: 'false' }) }, valueSchema }
      },
    }
  },
})
