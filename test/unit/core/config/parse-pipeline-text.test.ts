import { describe, expect, it } from 'vitest'
import { parsePipelineText, type LoadOptions } from '../../../../core/config/load-pipelines.ts'
import { parseDurationMs, parseSizeBytes } from '../../../../core/config/pipeline-schema.ts'
import { testValidator } from './test-validator.ts'

const HEAD = 'version: 1\npipeline: p\ntopic: { name: p.events }\n'

function problemsOf(text: string, options: LoadOptions = {}): string[] {
  return parsePipelineText(text, 'p.yaml', { env: {}, ...options }).problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)
}

function configOf(text: string, options: LoadOptions = {}): Record<string, string> {
  const parsed = parsePipelineText(text, 'p.yaml', { env: {}, ...options })
  expect(parsed.problems).toEqual([])
  return parsed.connectors[0]?.config ?? {}
}

describe('parsePipelineText: flattening', () => {
  it('flattens with: into dotted keys, comma-joined lists and values as written', () => {
    const config = configOf(`${HEAD}sources:
  - id: s
    type: postgres-cdc
    with:
      snapshot: { mode: initial, chunk: { rows: 500 } }
      tables: [public.a, public.b]
      none: []
      heartbeat: 30s
      ratio: 0.50
      big: 9007199254740993
      zip: 01234
      hex: 0x1F
      flag: true
      unset:
      nothing: null
      quoted: "007"
`)
    expect(config).toEqual({
      'connector.class': 'postgres-cdc',
      'tasks.max': '1',
      topic: 'p.events',
      'snapshot.mode': 'initial',
      'snapshot.chunk.rows': '500',
      tables: 'public.a,public.b',
      none: '',
      heartbeat: '30s',
      ratio: '0.5',
      big: '9007199254740993',
      zip: '01234',
      hex: '31',
      flag: 'true',
      quoted: '007',
    })
  })

  it('makes a sink consume the topic from its start point, and chains transforms by id', () => {
    const config = configOf(`${HEAD}transforms:
  - { id: mask, type: mask-field, with: { fields: [email, phone] } }
  - { id: paid, type: filter, with: { expr: "status == 'paid'", opts: { strict: false } } }
sinks:
  - { id: out, type: file-sink, start: latest, tasks: 3, transforms: [paid, mask], with: { file: out.jsonl } }
errors: { tolerance: all, retry_timeout: 2m }
`)
    expect(Object.entries(config)).toEqual(
      Object.entries({
        'connector.class': 'file-sink',
        'tasks.max': '3',
        topics: 'p.events',
        'consumer.auto.offset.reset': 'latest',
        transforms: 'paid,mask',
        'transforms.paid.type': 'filter',
        'transforms.paid.expr': "status == 'paid'",
        'transforms.paid.opts.strict': 'false',
        'transforms.mask.type': 'mask-field',
        'transforms.mask.fields': 'email,phone',
        'errors.tolerance': 'all',
        'errors.retry.timeout': '120000',
        file: 'out.jsonl',
      }),
    )
  })

  it('turns dead_letter into the dead-letter keys of every connector', () => {
    const parsed = parsePipelineText(
      `${HEAD}sources: [{ id: a, type: http-source }]\nsinks: [{ id: b, type: file-sink }]\ndead_letter: { topic: p.dlq }\n`,
      'p.yaml',
      { env: {} },
    )
    for (const connector of parsed.connectors) {
      expect(connector.config).toMatchObject({
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'p.dlq',
        'errors.deadletterqueue.context.headers.enable': 'true',
      })
    }
    expect(parsed.connectors.map((c) => [c.name, c.pipeline, c.line])).toEqual([
      ['p.a', 'p', 4],
      ['p.b', 'p', 5],
    ])
  })

  it('accepts interpolated digits where the pipeline wants a number', () => {
    const parsed = parsePipelineText(
      `version: 1\npipeline: p\ntopic: { name: p.t, partitions: "\${N}" }\nsources: [{ id: s, type: x, tasks: "\${T:-4}" }]\n`,
      'p.yaml',
      { env: { N: '6' } },
    )
    expect(parsed.problems).toEqual([])
    expect(parsed.topic?.config).toEqual({ partitions: 6 })
    expect(parsed.connectors[0]?.config['tasks.max']).toBe('4')
  })

  it('follows aliases', () => {
    const config = configOf(
      `${HEAD}sources:\n  - { id: a, type: x, with: &common { url: "u", opts: { retries: 3 } } }\nsinks:\n  - { id: b, type: y, with: *common }\n`,
    )
    expect(config).toMatchObject({ url: 'u', 'opts.retries': '3' })
    expect(
      parsePipelineText(
        `${HEAD}sources:\n  - { id: a, type: x, with: &common { url: "u" } }\nsinks:\n  - { id: b, type: y, with: *common }\n`,
        'p.yaml',
        { env: {} },
      ).connectors[1]?.config.url,
    ).toBe('u')
  })
})

describe('parsePipelineText: problems', () => {
  it('refuses an empty file and one that is not a map', () => {
    expect(problemsOf('')).toEqual(['1:1 : the file is empty; a pipeline file starts with "version: 1"'])
    expect(problemsOf('- a\n- b\n')).toEqual([expect.stringMatching(/^1:1 : a pipeline file is a map of version, pipeline, topic/)])
  })

  it('names a missing required key at the block it belongs in', () => {
    expect(problemsOf('version: 1\ntopic: {}\nsources:\n  - type: x\n')).toEqual([
      '1:1 pipeline: is required',
      '2:1 topic.name: is required',
      '4:5 sources[0].id: is required',
    ])
  })

  it('suggests the key that was meant, or lists the known ones', () => {
    expect(problemsOf(`${HEAD}sources: [{ id: s, type: x, with: {}, transform: [a] }]\nsinkz: []\n`)).toEqual([
      '4:39 sources[0].transform: unknown key (did you mean transforms?)',
      '5:1 sinkz: unknown key (did you mean sinks?)',
    ])
    expect(problemsOf(`${HEAD}dead_letter: { topic: p.dlq, stop_if: { failed: 1 } }\n`)).toEqual([
      '4:30 dead_letter.stop_if: unknown key (expected one of topic)',
    ])
  })

  it('says what a value must be in YAML terms', () => {
    expect(
      problemsOf('version: 1\npipeline: [p]\ntopic: { name: t, partitions: 1.5, durability: maybe, retention_bytes: lots }\nsources: {}\n'),
    ).toEqual([
      '2:1 pipeline: must be a string, not a list',
      '3:19 topic.partitions: must be a whole number',
      '3:36 topic.durability: must be one of fsync, async',
      '3:55 topic.retention_bytes: "lots" is not a size like 4096B, 512MiB or 1GB',
      '4:1 sources: must be a list, not a map',
    ])
  })

  it('maps each flat key a validator names back to the YAML it came from', () => {
    const text = `${HEAD}transforms:
  - id: mask
    type: mask-field
    with: { fieldz: [email] }
sources:
  - id: pg
    type: postgres-cdc
    transforms: [mask]
    with:
      snapshot: { mode: sometimes }
  - id: other
    type: nope
sinks:
  - id: out
    type: file-sink
`
    expect(problemsOf(text, { validate: testValidator })).toEqual([
      '7:5 transforms[0].with.fields: is required',
      '7:13 transforms[0].with.fieldz: unknown key',
      '12:5 sources[0].with.url: is required',
      '13:19 sources[0].with.snapshot.mode: Invalid option: expected one of "initial"|"never"',
      '15:5 sources[1].type: no plugin named "nope"',
      '17:5 sinks[0].with.file: is required',
    ])
  })

  it('places a problem about the whole config at the entry', () => {
    const validate = () => [
      { key: '(config)', message: 'needs a or b' },
      { key: 'tasks.max', message: 'must be at most 2' },
    ]
    expect(problemsOf(`${HEAD}sources:\n  - id: s\n    type: x\n`, { validate })).toEqual([
      '5:5 sources[0]: needs a or b',
      '5:5 sources[0].tasks: must be at most 2',
    ])
  })

  it('refuses keys in with: that the pipeline sets, and a key written both dotted and nested', () => {
    expect(problemsOf(`${HEAD}sources:\n  - id: s\n    type: x\n    with: { tasks.max: 2, topic: other, a.b: 1, a: { b: 2 } }\n`)).toEqual([
      '7:13 sources[0].with.tasks.max: tasks.max is set by the pipeline from sources[0].tasks; set it there',
      '7:27 sources[0].with.topic: topic is set by the pipeline from topic.name; set it there',
      '7:54 sources[0].with.a.b: a.b is written twice, once dotted and once nested; keep one',
    ])
  })

  it('refuses lists that a comma-joined string cannot carry', () => {
    expect(problemsOf(`${HEAD}sources:\n  - { id: s, type: x, with: { t: ["a,b", c], m: [{ k: v }] } }\n`)).toEqual([
      '5:35 sources[0].with.t[0]: a list item cannot contain "," (lists are joined with commas); write the whole value as one string',
      '5:50 sources[0].with.m[0]: a list under with: may hold only plain values (the config is a flat string map)',
    ])
  })

  it('hints at quoting when ${} breaks a flow map', () => {
    expect(problemsOf(`${HEAD}sources:\n  - { id: s, type: x, with: { url: \${URL} } }\n`)).toEqual([
      '5:37 : Unexpected flow-map-start at node end (inside { } or [ ], quote a value holding ${…}: "${VAR}")',
    ])
  })
})

describe('durations and sizes', () => {
  it('converts units, reads plain numbers as ms and bytes, and refuses the rest', () => {
    expect([
      parseDurationMs('500ms'),
      parseDurationMs('30s'),
      parseDurationMs('5m'),
      parseDurationMs('2h'),
      parseDurationMs('7d'),
      parseDurationMs('1.5s'),
      parseDurationMs('250'),
      parseDurationMs('-1'),
    ]).toEqual([500, 30_000, 300_000, 7_200_000, 604_800_000, 1500, 250, -1])
    expect([
      parseSizeBytes('10B'),
      parseSizeBytes('1KB'),
      parseSizeBytes('1KiB'),
      parseSizeBytes('2MB'),
      parseSizeBytes('2MiB'),
      parseSizeBytes('1GB'),
      parseSizeBytes('1GiB'),
      parseSizeBytes('4096'),
    ]).toEqual([10, 1000, 1024, 2_000_000, 2 * 1024 ** 2, 1e9, 1024 ** 3, 4096])
    expect([
      parseDurationMs('7 days'),
      parseDurationMs('-1s'),
      parseDurationMs('1w'),
      parseSizeBytes('1TB'),
      parseSizeBytes('1 gib'),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined])
  })
})
