/** The shape of a pipeline file (version 1): sources → one topic → sinks, with named transforms. */
import { z } from 'zod'

const id = z.string().regex(/^[a-zA-Z0-9_-]+$/, 'may contain only letters, digits, "_" and "-"')

export const durationMs = z.union([z.number().int().min(-1), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim())
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 500ms, 30s, 5m, 2h, 7d` })
    return z.NEVER
  }
  return Math.round(Number(match[1]) * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[match[2] as 'ms'])
})

export const sizeBytes = z.union([z.number().int().min(-1), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)$/.exec(value.trim())
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size like 512MiB or 1GB` })
    return z.NEVER
  }
  const unit = { B: 1, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3 }[match[2] as 'B']
  return Math.round(Number(match[1]) * unit)
})

const withMap = z.record(z.string(), z.unknown())

const connectorEntry = z.object({
  id,
  type: z.string().min(1),
  tasks: z.number().int().min(1).optional(),
  transforms: z.array(id).optional(),
  with: withMap.optional(),
})

export const pipelineSchema = z.object({
  version: z.literal(1),
  pipeline: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"'),
  topic: z.object({
    name: z.string().min(1),
    partitions: z.number().int().min(1).optional(),
    retention: durationMs.optional(),
    retention_bytes: sizeBytes.optional(),
    durability: z.enum(['fsync', 'async']).optional(),
    config: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }).strict(),
  sources: z.array(connectorEntry.strict()).default([]),
  transforms: z.array(z.object({ id, type: z.string().min(1), with: withMap.optional() }).strict()).default([]),
  sinks: z.array(connectorEntry.extend({ start: z.enum(['earliest', 'latest']).optional() }).strict()).default([]),
  dead_letter: z.object({ topic: z.string().min(1) }).strict().optional(),
  errors: z.object({ tolerance: z.enum(['none', 'all']).optional(), retry_timeout: durationMs.optional() }).strict().optional(),
}).strict()

export type PipelineFile = z.infer<typeof pipelineSchema>
