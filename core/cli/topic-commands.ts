/**
 * `tributary topics list|describe|create|consume|produce`, `groups list|describe` and
 * `dlq replay <topic>`, over the REST API.
 */
import readline from 'node:readline'
import { CliError, EXIT } from './cli-error.ts'
import { parse, required } from './args.ts'
import { printJson, printTable, progressBar } from './output.ts'

interface Topic {
  name: string
  partitions: Array<{ partition: number; logStartOffset: number; highWatermark: number; sizeBytes: number }>
}
interface Records {
  records: Array<{ partition: number; offset: number; key: string | null; value: string | null }>
  next_offset: number
  high_watermark: number
}

/** The flags of `tributary topics`, besides the common ones (args.ts). */
export const TOPICS_OPTIONS = {
  partitions: { type: 'string' },
  partition: { type: 'string', default: '0' },
  offset: { type: 'string', default: 'earliest' },
  limit: { type: 'string' },
  follow: { type: 'boolean', default: false },
  key: { type: 'string' },
  value: { type: 'string' },
} as const

export async function topicsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  const { positionals, json, client, values } = parse(rest, TOPICS_OPTIONS)
  const topic = () => encodeURIComponent(required(positionals[0], 'topic name'))
  switch (action) {
    case 'list': {
      const topics = await client.request<Topic[]>('GET', '/topics')
      if (json) return printJson(topics)
      return printTable(
        topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.length,
          records: t.partitions.reduce((n, p) => n + p.highWatermark - p.logStartOffset, 0),
          bytes: t.partitions.reduce((n, p) => n + p.sizeBytes, 0),
        })),
        ['name', 'partitions', 'records', 'bytes'],
      )
    }
    case 'describe': {
      const described = await client.request<Topic & { config: Record<string, unknown> }>('GET', `/topics/${topic()}`)
      if (json) return printJson(described)
      printTable(described.partitions as unknown as Array<Record<string, unknown>>, [
        'partition',
        'logStartOffset',
        'highWatermark',
        'sizeBytes',
      ])
      return
    }
    case 'create': {
      const partitions = values.partitions === undefined ? undefined : Number(values.partitions)
      if (partitions !== undefined && !Number.isInteger(partitions)) throw new CliError('--partitions must be an integer', EXIT.usage)
      const created = await client.request('POST', '/topics', {
        name: required(positionals[0], 'topic name'),
        ...(partitions !== undefined && { partitions }),
      })
      return json ? printJson(created) : void process.stdout.write(`created ${positionals[0]}\n`)
    }
    case 'produce': {
      const lines = values.value !== undefined ? [values.value as string] : await readStdinLines()
      const records = lines.map((value) => ({ value, ...(values.key !== undefined && { key: values.key as string }) }))
      if (records.length === 0) return
      const result = await client.request<{ offsets: unknown[] }>('POST', `/topics/${topic()}/records`, { records })
      return json ? printJson(result) : void process.stdout.write(`produced ${result.offsets.length} record(s)\n`)
    }
    case 'consume':
      return consume(
        client,
        topic(),
        Number(values.partition),
        String(values.offset),
        values.limit === undefined ? Infinity : Number(values.limit),
        values.follow === true,
        json,
      )
    default:
      throw new CliError(`unknown topics action "${action ?? ''}"; use list, describe, create, consume or produce`, EXIT.usage)
  }
}

async function consume(
  client: ReturnType<typeof parse>['client'],
  topic: string,
  partition: number,
  offset: string,
  limit: number,
  follow: boolean,
  json: boolean,
): Promise<void> {
  let next: string = offset
  let printed = 0
  // An export (no --follow) has an end: the partition's end, or --limit if that comes first.
  const progress = follow ? undefined : progressBar(`${decodeURIComponent(topic)}[${partition}]`)
  let first: number | undefined
  try {
    for (;;) {
      const page = await client.request<Records>(
        'GET',
        `/topics/${topic}/records?partition=${partition}&offset=${next}&limit=${Math.min(1000, limit - printed)}&wait_ms=${follow ? 5000 : 0}`,
      )
      first ??= page.records[0]?.offset ?? page.next_offset
      for (const record of page.records) {
        process.stdout.write(json ? `${JSON.stringify(record)}\n` : `${record.offset}\t${record.key ?? ''}\t${record.value ?? ''}\n`)
        if (++printed >= limit) return
      }
      progress?.update(printed, Math.min(limit, page.high_watermark - first))
      if (page.records.length === 0 && !follow) return
      next = String(page.next_offset)
    }
  } finally {
    progress?.done()
  }
}

async function readStdinLines(): Promise<string[]> {
  const lines: string[] = []
  for await (const line of readline.createInterface({ input: process.stdin })) if (line.length > 0) lines.push(line)
  return lines
}

export async function groupsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  const { positionals, json, client } = parse(rest)
  if (action === 'list') {
    const groups = await client.request<Array<Record<string, unknown>>>('GET', '/groups')
    return json ? printJson(groups) : printTable(groups, ['groupId', 'state', 'members', 'lag'])
  }
  if (action === 'describe') {
    const group = await client.request<{ offsets: Array<Record<string, unknown>> }>(
      'GET',
      `/groups/${encodeURIComponent(required(positionals[0], 'group id'))}`,
    )
    return json ? printJson(group) : printTable(group.offsets, ['topic', 'partition', 'offset', 'logEndOffset', 'lag'])
  }
  throw new CliError(`unknown groups action "${action ?? ''}"; use list or describe`, EXIT.usage)
}

export async function dlqCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  if (action !== 'replay') throw new CliError(`unknown dlq action "${action ?? ''}"; use replay <topic>`, EXIT.usage)
  const { positionals, json, client } = parse(rest)
  const topic = encodeURIComponent(required(positionals[0], 'dead-letter topic'))
  const total = { replayed: 0, skipped: 0, byTopic: {} as Record<string, number>, remaining: 0 }
  const progress = progressBar('replaying')
  // In slices, so a large topic shows progress and an interruption keeps what was done.
  for (;;) {
    const slice = await client.request<typeof total>('POST', `/topics/${topic}/replay?max=1000`)
    total.replayed += slice.replayed
    total.skipped += slice.skipped
    total.remaining = slice.remaining
    for (const [name, count] of Object.entries(slice.byTopic)) total.byTopic[name] = (total.byTopic[name] ?? 0) + count
    progress.update(total.replayed + total.skipped, total.replayed + total.skipped + slice.remaining)
    if (slice.remaining === 0 || slice.replayed + slice.skipped === 0) break
  }
  progress.done()
  if (json) return printJson(total)
  process.stdout.write(
    `replayed ${total.replayed} record(s)${total.skipped > 0 ? `, skipped ${total.skipped} without an origin topic` : ''}\n`,
  )
  for (const [name, count] of Object.entries(total.byTopic)) process.stdout.write(`  ${name}: ${count}\n`)
}
