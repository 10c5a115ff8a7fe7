/**
 * Topics beyond Kafka Connect's API: list, describe (partitions, offsets, sizes), create, delete,
 * browse records, produce records, and replay a dead-letter topic into the topics its records came
 * from. Keys and values travel as UTF-8 strings, or base64 with `*_encoding: "base64"`; browsing with
 * `decode=registry` shows those in the registry's wire format as JSON (registry-decoder.ts). Browsing
 * reads as a read_committed consumer does unless asked otherwise: an exactly-once source's aborted
 * batch, written again after a crash, would otherwise show twice.
 */
import { Router } from 'express'
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import { isInternalTopic } from '../../log/internal-topics.ts'
import type { Log, StoredRecord } from '../../log/log.ts'
import type { SchemaRegistry } from '../../registry/registry.ts'
import { replayDeadLetters } from '../../runtime/dead-letter-replay.ts'
import { HIDDEN, maskText, maskValue } from '../../secrets.ts'
import { storageTopicKind } from '../../runtime/storage-topics.ts'
import { isRegistryFramed, registryDecoder, type Decoded } from '../registry-decoder.ts'
import { parseBody } from '../request-body.ts'

const createBody = z.object({
  name: z.string().min(1),
  partitions: z.number().int().min(1).optional(),
  config: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})
const encoded = z.string().nullable().optional()
const produceBody = z.object({
  records: z
    .array(
      z.object({
        key: encoded,
        value: encoded,
        key_encoding: z.enum(['utf8', 'base64']).optional(),
        value_encoding: z.enum(['utf8', 'base64']).optional(),
        partition: z.number().int().min(0).optional(),
        headers: z.record(z.string(), z.string()).optional(),
        timestamp: z.number().int().optional(),
      }),
    )
    .min(1),
})
const readQuery = z.object({
  partition: z.coerce.number().int().min(0).default(0),
  offset: z.union([z.literal('earliest'), z.literal('latest'), z.coerce.number().int().min(0)]).default('earliest'),
  /** Ms since the epoch: start at the first record at or after it (wins over `offset`). */
  timestamp: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  wait_ms: z.coerce.number().int().min(0).max(30_000).default(0),
  /** `registry`: keys and values in the registry's wire format come as JSON, with their format and schema id. */
  decode: z.literal('registry').optional(),
  /** What a consumer with that isolation level sees: by default no aborted or still open transaction's records. */
  isolation: z.enum(['read_committed', 'read_uncommitted']).default('read_committed'),
})

/** `registry`: the worker's built-in Schema Registry, which `decode=registry` reads schemas from. */
export function topicRoutes(log: Log, registry?: () => Promise<SchemaRegistry>): Router {
  const router = Router()
  const decodeFramed = registryDecoder(registry)
  router.get('/topics', async (_req, res) => {
    const names = await log.listTopics()
    res.json(await Promise.all(names.map((name) => log.describeTopic(name))))
  })
  router.post('/topics', async (req, res) => {
    const body = parseBody(createBody, req.body, 'topic creation request')
    refuseInternal(body.name, 'create')
    const described = await log.createTopic(body.name, {
      ...body.config,
      ...(body.partitions !== undefined && { partitions: body.partitions }),
    })
    res
      .status(201)
      .location(`/topics/${encodeURIComponent(body.name)}`)
      .json(described)
  })
  router.get('/topics/:name', async (req, res) => {
    res.json(await log.describeTopic(req.params.name))
  })
  router.delete('/topics/:name', async (req, res) => {
    refuseInternal(req.params.name, 'delete')
    await log.deleteTopic(req.params.name)
    res.status(204).end()
  })
  router.get('/topics/:name/records', async (req, res) => {
    const query = parseBody(readQuery, req.query, 'records query')
    const topic = req.params.name
    const spec = query.timestamp !== undefined ? { timestamp: query.timestamp } : query.offset
    const start = typeof spec === 'number' ? spec : await log.listOffset(topic, query.partition, spec)
    const read = await log.read(topic, query.partition, start, { maxWaitMs: query.wait_ms, isolation: query.isolation })
    const records = read.records.slice(0, query.limit)
    const next = records.length > 0 ? (records.at(-1) as StoredRecord).offset + 1 : read.nextOffset
    const kind = storageTopicKind(topic)
    const render = kind === 'configs' ? renderConfigRecord : kind === 'status' ? renderStatusRecord : renderRecord
    const rendered =
      query.decode === 'registry' && render === renderRecord
        ? await Promise.all(
            records.map(async (record) =>
              decoded(renderRecord(record), await decodedField('key', record.key), await decodedField('value', record.value)),
            ),
          )
        : records.map(render)
    res.json({ topic, partition: query.partition, records: rendered, next_offset: next, high_watermark: read.highWatermark })
  })
  router.post('/topics/:name/records', async (req, res) => {
    refuseInternal(req.params.name, 'write to')
    const body = parseBody(produceBody, req.body, 'produce request')
    const results = await log.append(
      req.params.name,
      body.records.map((record) => ({
        key: decode(record.key, record.key_encoding),
        value: decode(record.value, record.value_encoding),
        headers: Object.entries(record.headers ?? {}).map(([key, value]) => ({ key, value: Buffer.from(value, 'utf8') })),
        ...(record.partition !== undefined && { partition: record.partition }),
        ...(record.timestamp !== undefined && { timestamp: record.timestamp }),
      })),
    )
    res.json({ offsets: results })
  })
  router.post('/topics/:name/replay', async (req, res) => {
    refuseInternal(req.params.name, 'replay')
    const { max } = parseBody(z.object({ max: z.coerce.number().int().min(1).optional() }), req.query, 'replay query')
    res.json(await replayDeadLetters(log, req.params.name, max))
  })

  /** A framed key or value as its JSON, format and schema id; one that cannot be read stays base64, with why. */
  const decodedField = async (field: 'key' | 'value', bytes: Buffer | null): Promise<Record<string, unknown>> => {
    if (!isRegistryFramed(bytes)) return {}
    const decoded: Decoded = await decodeFramed(bytes)
    if ('error' in decoded)
      return {
        [field]: bytes.toString('base64'),
        [`${field}_encoding`]: 'base64',
        [`${field}_schema_id`]: decoded.schemaId,
        [`${field}_decode_error`]: decoded.error,
      }
    return { [field]: decoded.json, [`${field}_format`]: decoded.format, [`${field}_schema_id`]: decoded.schemaId }
  }
  return router
}

/**
 * The worker's internal topics change only through the worker itself (connectors through /connectors):
 * a record written straight into _tributary-configs would plant a connector that skipped validation.
 * They stay readable here, with secrets masked, for an operator's inspection.
 */
function refuseInternal(topic: string, action: string): void {
  if (isInternalTopic(topic)) {
    throw new TributaryError(
      'TRB_TOPIC_AUTHORIZATION_FAILED',
      `cannot ${action} ${topic}: it is an internal topic of the worker; change connectors through /connectors`,
      { details: { topic } },
    )
  }
}

/** The rendered record with its decoded fields in place of their UTF-8 or base64 form. */
function decoded(rendered: Record<string, unknown>, key: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  const result = { ...rendered }
  if ('key' in key) delete result.key_encoding
  if ('value' in value) delete result.value_encoding
  return { ...result, ...key, ...value }
}

function decode(text: string | null | undefined, encoding: 'utf8' | 'base64' | undefined): Buffer | null {
  if (text === null || text === undefined) return null
  return Buffer.from(text, encoding ?? 'utf8')
}

function renderRecord(record: StoredRecord): Record<string, unknown> {
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    ...renderBytes('key', record.key),
    ...renderBytes('value', record.value),
    headers: Object.fromEntries(record.headers.map((h) => [h.key, h.value?.toString('utf8') ?? null])),
  }
}

/** Connector configs hold secrets in clear: they are shown as GET /connectors/{name}/config shows them. */
function renderConfigRecord(record: StoredRecord): Record<string, unknown> {
  const { value_encoding: encoding, ...rendered } = renderRecord(record)
  if (typeof rendered.value !== 'string') return rendered
  if (encoding !== undefined) return { ...rendered, value: HIDDEN }
  try {
    const value = JSON.parse(rendered.value) as { properties?: unknown }
    if (value !== null && typeof value === 'object' && value.properties !== null && typeof value.properties === 'object') {
      const properties = Object.entries(value.properties as Record<string, unknown>).map(([key, item]) => [
        key,
        typeof item === 'string' ? maskValue(key, item) : item,
      ])
      return { ...rendered, value: JSON.stringify({ ...value, properties: Object.fromEntries(properties) }) }
    }
  } catch {
    // Not JSON: shown with its passwords masked.
  }
  return { ...rendered, value: maskText(rendered.value) }
}

/** Status records carry traces, masked when made; these may be older. */
function renderStatusRecord(record: StoredRecord): Record<string, unknown> {
  const rendered = renderRecord(record)
  return typeof rendered.value === 'string' && rendered.value_encoding === undefined
    ? { ...rendered, value: maskText(rendered.value) }
    : rendered
}

function renderBytes(field: 'key' | 'value', bytes: Buffer | null): Record<string, unknown> {
  if (bytes === null) return { [field]: null }
  const text = bytes.toString('utf8')
  if (Buffer.byteLength(text, 'utf8') === bytes.length && !text.includes('\uFFFD')) return { [field]: text }
  return { [field]: bytes.toString('base64'), [`${field}_encoding`]: 'base64' }
}
