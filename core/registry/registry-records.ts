/**
 * The records of the `_schemas` topic, as Confluent's registry writes them, so the topic means the
 * same to either: a JSON key naming what the record is about (its field order fixed, since compaction
 * keeps the newest record per key *text*), and a JSON value, null for a tombstone.
 *
 *   {"keytype":"SCHEMA","subject":S,"version":V,"magic":1}  {"subject","version","id","schemaType"?,"references"?,"schema","deleted"}
 *   {"keytype":"CONFIG","subject":S|null,"magic":0}          {"compatibilityLevel"}
 *   {"keytype":"MODE","subject":S|null,"magic":0}            {"mode"}
 *   {"keytype":"DELETE_SUBJECT","subject":S,"magic":0}       {"subject","version"}   (a marker; the SCHEMA records say it all)
 *   {"keytype":"NOOP","magic":0}                             null, or {"maxId"}: the highest id given, kept when a
 *                                                            permanent delete takes away the records holding it
 */
import { z } from 'zod'
import { schemaProblem } from '../log/compacted-store.ts'
import { COMPATIBILITY_LEVELS, REGISTRY_MODES } from './registry.ts'
import { SCHEMA_TYPES } from './schema-format.ts'

export const SCHEMAS_TOPIC = '_schemas'

export type RegistryKey =
  | { readonly keytype: 'SCHEMA'; readonly subject: string; readonly version: number }
  | { readonly keytype: 'CONFIG' | 'MODE'; readonly subject: string | null }
  | { readonly keytype: 'DELETE_SUBJECT'; readonly subject: string }
  | { readonly keytype: 'NOOP' }

export function keyText(key: RegistryKey): string {
  switch (key.keytype) {
    case 'SCHEMA':
      return JSON.stringify({ keytype: 'SCHEMA', subject: key.subject, version: key.version, magic: 1 })
    case 'CONFIG':
    case 'MODE':
    case 'DELETE_SUBJECT':
      return JSON.stringify({ keytype: key.keytype, subject: key.subject, magic: 0 })
    case 'NOOP':
      return JSON.stringify({ keytype: 'NOOP', magic: 0 })
  }
}

const referenceShape = z.object({ name: z.string(), subject: z.string(), version: z.number().int() })

export const schemaValueShape = z
  .object({
    subject: z.string(),
    version: z.number().int().positive(),
    id: z.number().int().nonnegative(),
    schemaType: z.enum(SCHEMA_TYPES as [string, ...string[]]).optional(),
    references: z.array(referenceShape).optional(),
    schema: z.string(),
    deleted: z.boolean().optional(),
  })
  .passthrough()

export type SchemaValue = z.infer<typeof schemaValueShape>

const configValueShape = z.object({ compatibilityLevel: z.enum(COMPATIBILITY_LEVELS as [string, ...string[]]) }).passthrough()
const modeValueShape = z.object({ mode: z.enum(REGISTRY_MODES as [string, ...string[]]) }).passthrough()

const keyShape = z
  .object({ keytype: z.string(), subject: z.string().nullable().optional(), version: z.number().int().optional() })
  .passthrough()

/** The key of a stored record, or undefined when it is not a registry key. */
export function parseKey(text: string): RegistryKey | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  const key = keyShape.safeParse(parsed)
  if (!key.success) return undefined
  const { keytype, subject, version } = key.data
  if (keytype === 'SCHEMA') return typeof subject === 'string' && version !== undefined ? { keytype, subject, version } : undefined
  if (keytype === 'CONFIG' || keytype === 'MODE') return { keytype, subject: subject ?? null }
  if (keytype === 'DELETE_SUBJECT') return typeof subject === 'string' ? { keytype, subject } : undefined
  if (keytype === 'NOOP') return { keytype }
  return undefined
}

/**
 * Why a stored record is not one the registry can use; undefined when it is. Keys of kinds Confluent
 * writes that this registry has no use for (contexts, say) pass, and are left alone.
 */
export function checkRegistryRecord(key: string, value: unknown): string | undefined {
  const parsed = parseKey(key)
  if (parsed === undefined) {
    const known = keyShape.safeParse(safeJson(key))
    return known.success ? undefined : 'the key is not a schema registry key'
  }
  switch (parsed.keytype) {
    case 'SCHEMA': {
      const problem = schemaProblem(schemaValueShape, value)
      if (problem !== undefined) return problem
      const schema = value as SchemaValue
      return schema.subject === parsed.subject && schema.version === parsed.version
        ? undefined
        : "the value's subject and version are not the key's"
    }
    case 'CONFIG':
      return schemaProblem(configValueShape, value)
    case 'MODE':
      return schemaProblem(modeValueShape, value)
    default:
      return undefined
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
