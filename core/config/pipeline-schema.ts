/**
 * The shape of a pipeline file (version 1): sources → one topic → sinks, with named transforms.
 * Each top-level part has its own schema so a file's parts are checked independently and every
 * problem is reported in one pass. `with:` blocks stay open here: the plugin's own schema checks them.
 */
import { z } from 'zod'
import { isTributaryError } from '../errors.ts'
import { validateTopicName } from '../log/topic-config.ts'

const DURATION_UNITS_MS = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 } as const
const SIZE_UNITS = { B: 1, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3 } as const

/** `500ms`, `30s`, `5m`, `2h`, `7d`; a plain number is milliseconds; -1 is Kafka's "no limit". */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(-1|\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim())
  if (!match || (match[1] === '-1' && match[2] !== undefined)) return undefined
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[(match[2] ?? 'ms') as keyof typeof DURATION_UNITS_MS])
}

/** `512MiB`, `1GB`, `4096B`; a plain number is bytes; -1 is Kafka's "no limit". */
export function parseSizeBytes(text: string): number | undefined {
  const match = /^(-1|\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/.exec(text.trim())
  if (!match || (match[1] === '-1' && match[2] !== undefined)) return undefined
  return Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'B') as keyof typeof SIZE_UNITS])
}

function measured(parse: (text: string) => number | undefined, hint: string) {
  return z.union([z.number(), z.string()], { error: `must be ${hint}` }).transform((value, ctx) => {
    const result = parse(String(value))
    if (result === undefined || !Number.isSafeInteger(result)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not ${hint}` })
      return z.NEVER
    }
    return result
  })
}

export const durationMs = measured(parseDurationMs, 'a duration like 500ms, 30s, 5m, 2h or 7d')
export const sizeBytes = measured(parseSizeBytes, 'a size like 4096B, 512MiB or 1GB')

/** A whole number, also as the digits an interpolated `${VAR}` leaves behind. */
const wholeNumber = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)], { error: 'must be a whole number' })

const id = z.string().regex(/^[a-zA-Z0-9_-]+$/, 'may contain only letters, digits, "_" and "-"')
const withMap = z.record(z.string(), z.unknown()).nullish()
const idList = z
  .array(id)
  .nullish()
  .transform((ids) => ids ?? [])

export const versionSchema = z.literal(1, { error: 'must be 1 (the only pipeline file version)' })
export const pipelineNameSchema = z.string().regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"')

/** Kafka's naming rules, as the log applies them; undefined for a valid name. */
export function topicNameProblem(name: string): string | undefined {
  try {
    validateTopicName(name)
    return undefined
  } catch (error) {
    if (!isTributaryError(error)) throw error
    return error.message
  }
}

const topicName = z.string().superRefine((name, ctx) => {
  const problem = topicNameProblem(name)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
})

export const topicSchema = z
  .object({
    // Checked against Kafka's rules after the schema, so a bad name does not hide the other settings.
    name: z.string().min(1),
    partitions: wholeNumber.optional(),
    retention: durationMs.optional(),
    retention_bytes: sizeBytes.optional(),
    durability: z.enum(['fsync', 'async']).optional(),
    /** Any other topic key by its Kafka name (`cleanup.policy`, `segment.bytes` …). */
    config: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean()], { error: 'must be a plain value: a string, a number, true or false' }),
      )
      .nullish(),
  })
  .strict()

export const sourceSchema = z
  .object({
    id,
    type: z.string().min(1),
    tasks: wholeNumber.pipe(z.number().min(1)).optional(),
    transforms: idList,
    with: withMap,
  })
  .strict()

export const sinkSchema = sourceSchema.extend({ start: z.enum(['earliest', 'latest']).optional() }).strict()

export const transformSchema = z.object({ id, type: z.string().min(1), with: withMap }).strict()

export const deadLetterSchema = z.object({ topic: topicName }).strict()

export const errorsSchema = z.object({ tolerance: z.enum(['none', 'all']).optional(), retry_timeout: durationMs.optional() }).strict()

/** The whole file at once, for documentation; loading checks the parts one by one. */
export const pipelineSchema = z
  .object({
    version: versionSchema,
    pipeline: pipelineNameSchema,
    topic: topicSchema,
    sources: z.array(sourceSchema).nullish(),
    transforms: z.array(transformSchema).nullish(),
    sinks: z.array(sinkSchema).nullish(),
    dead_letter: deadLetterSchema.optional(),
    errors: errorsSchema.optional(),
  })
  .strict()

export type TopicPart = z.output<typeof topicSchema>
export type SourceEntry = z.output<typeof sourceSchema>
export type SinkEntry = z.output<typeof sinkSchema>
export type TransformEntry = z.output<typeof transformSchema>
export type DeadLetterPart = z.output<typeof deadLetterSchema>
export type ErrorsPart = z.output<typeof errorsSchema>

const KIND: Record<string, string> = {
  array: 'a list',
  object: 'a map',
  record: 'a map',
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
}

/** zod's wording is about JS types; say what the user must write in YAML instead. */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required'
    return `must be ${KIND[issue.expected] ?? issue.expected}, not ${describeInput(issue.input)}`
  }
  if (issue.code === 'invalid_value') {
    return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of ${issue.values.map(String).join(', ')}`
  }
  if (issue.code === 'too_small') return issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`
  return undefined
}

function describeInput(input: unknown): string {
  if (input === null) return 'empty'
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object') return 'a map'
  return typeof input === 'string' ? `"${input}"` : String(input)
}
