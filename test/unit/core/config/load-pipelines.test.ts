import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../../core/errors.ts'
import { loadPipelines, PipelineError, type LoadOptions } from '../../../../core/config/load-pipelines.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import { testValidator } from './test-validator.ts'

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/yaml')
const options: LoadOptions = { env: { PG_URL: 'postgres://db/shop' }, validate: testValidator }

async function failureOf(target: string, with_: LoadOptions = options): Promise<PipelineError> {
  const error = await loadPipelines(target, with_).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof PipelineError)) throw new Error(`${target} loaded without problems`)
  return error
}

async function problemsOf(file: string): Promise<string[]> {
  const error = await failureOf(path.join(fixtures, file))
  return error.problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`)
}

describe('loadPipelines: fixtures', () => {
  it('turns the good pipeline into flat connector configs named <pipeline>.<id> and a topic', async () => {
    const loaded = await loadPipelines(path.join(fixtures, 'good.yaml'), options)
    expect(loaded.files).toEqual([path.join(fixtures, 'good.yaml')])
    expect(loaded.topics).toEqual([
      {
        name: 'orders.changes',
        file: path.join(fixtures, 'good.yaml'),
        line: 4,
        config: {
          'cleanup.policy': 'delete',
          partitions: 8,
          'retention.ms': 604_800_000,
          'retention.bytes': 1024 ** 3,
          durability: 'fsync',
        },
      },
    ])
    const [pg, archive] = loaded.connectors
    expect(pg).toMatchObject({ name: 'orders.pg', pipeline: 'orders', line: 6 })
    expect(pg?.config).toEqual({
      'connector.class': 'postgres-cdc',
      'tasks.max': '1',
      topic: 'orders.changes',
      transforms: 'mask-pii',
      'transforms.mask-pii.type': 'mask-field',
      'transforms.mask-pii.fields': 'email,phone',
      'errors.retry.timeout': '30000',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'orders.dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
      url: 'postgres://db/shop',
      slot: 'tributary_orders',
      tables: 'public.orders,public.items',
      'snapshot.mode': 'initial',
      heartbeat: '30s',
      'snapshot.fetch.size': '9007199254740993',
      'publication.autocreate': 'true',
    })
    expect(archive).toMatchObject({ name: 'orders.archive', line: 21 })
    expect(archive?.config).toMatchObject({
      'tasks.max': '2',
      topics: 'orders.changes',
      'consumer.auto.offset.reset': 'earliest',
      transforms: 'mask-pii,paid-only',
      'transforms.paid-only.type': 'filter',
      'transforms.paid-only.expr': "after.status == 'paid'",
      file: './archive/orders.jsonl',
      header: '${not interpolated}',
    })
  })

  it('reports YAML syntax errors at their position', async () => {
    expect(await problemsOf('bad-syntax.yaml')).toEqual([
      'bad-syntax.yaml:4:1 : Map keys must be unique',
      'bad-syntax.yaml:8:19 : Unexpected flow-map-start at node end (inside { } or [ ], quote a value holding ${…}: "${VAR}")',
    ])
  })

  it('reports unknown keys and schema errors, every one at its own line', async () => {
    expect(await problemsOf('bad-keys.yaml')).toEqual([
      'bad-keys.yaml:1:1 version: must be 1 (the only pipeline file version)',
      'bad-keys.yaml:5:3 topic.partitons: unknown key (did you mean partitions?)',
      'bad-keys.yaml:6:3 topic.retention.ms: unknown key here: Kafka topic keys go under topic.config',
      'bad-keys.yaml:7:3 topic.retention: "7 days" is not a duration like 500ms, 30s, 5m, 2h or 7d',
      'bad-keys.yaml:8:1 sink: unknown key (did you mean sinks?)',
      'bad-keys.yaml:13:5 sources[0].tasks: must be at least 1',
      'bad-keys.yaml:14:5 sources[0].colour: unknown key (expected one of id, type, tasks, transforms, with)',
      'bad-keys.yaml:18:5 sinks[0].start: must be one of earliest, latest',
      'bad-keys.yaml:19:5 sinks[1]: must be a map, not "just a string"',
      'bad-keys.yaml:20:11 errors.tolerance: must be one of none, all',
    ])
  })

  it('refuses unset variables without a default, and malformed references, at the scalar', async () => {
    expect(await problemsOf('bad-env.yaml')).toEqual([
      'bad-env.yaml:8:13 sinks[0].with.file: environment variable OUT_FILE is not set and has no default (write ${OUT_FILE:-default})',
      'bad-env.yaml:10:17 sinks[0].with.tags[1]: environment variable ENV_TAG is not set and has no default (write ${ENV_TAG:-default})',
      'bad-env.yaml:11:15 sinks[0].with.prefix: "${1BAD}" is not a variable reference: write ${NAME} or ${NAME:-default}, or $${ for a literal ${',
    ])
    const fixed = await fixFixture('bad-env.yaml', (text) => text.replace('"${1BAD}"', 'p-'))
    try {
      const loaded = await loadPipelines(fixed.file, { env: { OUT_FILE: '/srv/out.jsonl', ENV_TAG: 'b' }, validate: testValidator })
      expect(loaded.topics[0]?.config).toEqual({ partitions: 2 })
      expect(loaded.connectors[0]?.config).toMatchObject({ file: '/srv/out.jsonl', format: 'json', tags: 'a,b,c', prefix: 'p-' })
    } finally {
      await fixed.remove()
    }
  })

  it('reports duplicate ids, unknown transforms and dead-letter conflicts', async () => {
    expect(await problemsOf('bad-ids.yaml')).toEqual([
      'bad-ids.yaml:6:7 transforms[1].id: "mask" is also the id of transforms[0]',
      'bad-ids.yaml:8:53 sources[0].transforms[1]: no transform with id "nope" under transforms:',
      'bad-ids.yaml:10:7 sinks[0].id: "in" is also the id of sources[0]; ids name connectors (ids.in) and must be unique',
      'bad-ids.yaml:10:51 sinks[0].transforms[1]: "mask" is listed twice',
      'bad-ids.yaml:11:16 dead_letter.topic: must differ from topic.name, or failed records would flow back into the pipeline',
      'bad-ids.yaml:12:11 errors.tolerance: conflicts with dead_letter, which sends failed records to ids.events (errors.tolerance=all); keep one',
    ])
  })

  it('reports plugin and transform config problems at the with: key they came from', async () => {
    expect(await problemsOf('bad-plugin.yaml')).toEqual([
      'bad-plugin.yaml:7:5 transforms[0].with.fields: is required',
      'bad-plugin.yaml:7:13 transforms[0].with.fieldz: unknown key',
      'bad-plugin.yaml:14:19 sources[0].with.snapshot.mode: Invalid option: expected one of "initial"|"never"',
      'bad-plugin.yaml:15:7 sources[0].with.snapshot.mode: snapshot.mode is written twice, once dotted and once nested; keep one',
      'bad-plugin.yaml:16:26 sources[0].with.tables[1]: a list item cannot contain "," (lists are joined with commas); write the whole value as one string',
      'bad-plugin.yaml:17:7 sources[0].with.tasks.max: tasks.max is set by the pipeline from sources[0].tasks; set it there',
      'bad-plugin.yaml:20:5 sinks[0].type: no plugin named "no-such-plugin"',
      'bad-plugin.yaml:23:5 sinks[1].with.file: is required',
      'bad-plugin.yaml:25:17 sinks[1].with.columns[0]: a list under with: may hold only plain values (the config is a flat string map)',
    ])
  })

  it("checks the topic's name and the settings the log knows, and passes others through", async () => {
    expect(await problemsOf('bad-topic.yaml')).toEqual([
      'bad-topic.yaml:4:3 topic.name: topic name "topics events" may contain only ASCII letters, digits, ".", "_" and "-"',
      'bad-topic.yaml:5:3 topic.partitions: must be at least 1',
      'bad-topic.yaml:8:5 topic.config.cleanup.policy: must be one of delete, compact, compact,delete, delete,compact',
      'bad-topic.yaml:9:5 topic.config.retention.ms: is also set by topic.retention; keep one',
    ])
  })

  it('collects the problems of every file of a directory into one error with one line per problem', async () => {
    const error = await failureOf(fixtures)
    expect(isTributaryError(error, 'TRB_PIPELINE_INVALID')).toBe(true)
    const files = new Set(error.problems.map((p) => path.basename(p.file)))
    expect([...files]).toEqual(['bad-env.yaml', 'bad-ids.yaml', 'bad-keys.yaml', 'bad-plugin.yaml', 'bad-syntax.yaml', 'bad-topic.yaml'])
    const lines = error.message.split('\n')
    expect(lines[0]).toBe(`pipeline files have ${error.problems.length} problems:`)
    expect(lines).toHaveLength(error.problems.length + 1)
    expect(lines).toContain(
      `${path.join(fixtures, 'bad-env.yaml')}:8:13 sinks[0].with.file: environment variable OUT_FILE is not set and has no default (write \${OUT_FILE:-default})`,
    )
    expect(lines).toContain(`${path.join(fixtures, 'bad-syntax.yaml')}:4:1 (file): Map keys must be unique`)
  })
})

describe('loadPipelines: several files', () => {
  let dir: { path: string; remove: () => Promise<void> }
  beforeEach(async () => {
    dir = await makeTempDir()
  })
  afterEach(async () => {
    await dir.remove()
  })
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir.path, name), text)
  const pipeline = (name: string, topic: string, extra = '') =>
    `version: 1\npipeline: ${name}\ntopic: { name: ${topic}${extra} }\nsources:\n  - { id: in, type: http-source }\n`

  it('loads *.yaml and *.yml in name order, ignoring other files, dot files and subdirectories', async () => {
    write('b.yml', pipeline('b', 'b.events'))
    write('a.yaml', pipeline('a', 'a.events'))
    write('notes.txt', 'not yaml')
    write('.a.yaml', 'broken: [')
    fs.mkdirSync(path.join(dir.path, 'nested'))
    fs.writeFileSync(path.join(dir.path, 'nested', 'c.yaml'), 'broken: [')
    const loaded = await loadPipelines(dir.path, options)
    expect(loaded.files).toEqual([path.join(dir.path, 'a.yaml'), path.join(dir.path, 'b.yml')])
    expect(loaded.connectors.map((c) => c.name)).toEqual(['a.in', 'b.in'])
    expect(loaded.topics.map((t) => t.name)).toEqual(['a.events', 'b.events'])
    expect(await loadPipelines(path.join(dir.path, 'b.yml'), options)).toMatchObject({
      files: [path.join(dir.path, 'b.yml')],
      connectors: [{ name: 'b.in' }],
    })
  })

  it('refuses a pipeline name defined by two files, at the second name', async () => {
    write('a.yaml', pipeline('shop', 'a.events'))
    write('b.yaml', `# the same name again\n${pipeline('shop', 'b.events')}`)
    const error = await failureOf(dir.path)
    expect(error.problems).toEqual([
      {
        file: path.join(dir.path, 'b.yaml'),
        line: 3,
        column: 1,
        path: 'pipeline',
        message: `pipeline "shop" is also defined in ${path.join(dir.path, 'a.yaml')}:2; pipeline names must be unique`,
      },
    ])
  })

  it('merges the settings of a topic shared by two pipelines and refuses conflicting ones', async () => {
    write('a.yaml', pipeline('a', 'shared', ', partitions: 4'))
    write('b.yaml', pipeline('b', 'shared', ', retention: 1h, config: { cleanup.policy: delete }'))
    const merged = await loadPipelines(dir.path, options)
    expect(merged.topics).toEqual([
      {
        name: 'shared',
        file: path.join(dir.path, 'a.yaml'),
        line: 3,
        config: { partitions: 4, 'cleanup.policy': 'delete', 'retention.ms': 3_600_000 },
      },
    ])

    write('c.yaml', pipeline('c', 'shared', ', partitions: 8, retention: 60m, config: { cleanup.policy: compact }'))
    const error = await failureOf(dir.path)
    expect(error.problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      `c.yaml:3:24 topic.partitions: topic shared has partitions=8 here but partitions=4 in ${path.join(dir.path, 'a.yaml')}:3:24 topic.partitions`,
      `c.yaml:3:65 topic.config.cleanup.policy: topic shared has cleanup.policy=compact here but cleanup.policy=delete in ${path.join(dir.path, 'b.yaml')}:3:49 topic.config.cleanup.policy`,
    ])
  })

  it('collects problems from every file and never returns part of a config', async () => {
    write('a.yaml', pipeline('a', 'a.events'))
    write('b.yaml', 'version: 1\npipeline: b\ntopic: { name: b.events }\nsinks:\n  - { id: out, type: file-sink }\n')
    write(
      'c.yaml',
      'version: 1\npipeline: c\ntopic: { name: c.events }\nsinks:\n  - { id: out, type: file-sink, with: { file: "${C_FILE}" } }\n',
    )
    const error = await failureOf(dir.path)
    expect(error.problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      'b.yaml:5:5 sinks[0].with.file: is required',
      'c.yaml:5:47 sinks[0].with.file: environment variable C_FILE is not set and has no default (write ${C_FILE:-default})',
    ])
  })

  it('loads an empty directory as no pipelines, and refuses a path that does not exist', async () => {
    expect(await loadPipelines(dir.path, options)).toEqual({ files: [], connectors: [], topics: [] })
    const error = await failureOf(path.join(dir.path, 'missing'))
    expect(error.problems).toEqual([
      { file: path.join(dir.path, 'missing'), line: 1, column: 1, path: '', message: 'no such file or directory' },
    ])
  })

  it('reads variables from process.env when no env is given', async () => {
    process.env.TRB_TEST_PIPELINE_FILE = '/srv/x.jsonl'
    try {
      write(
        'a.yaml',
        'version: 1\npipeline: a\ntopic: { name: a.events }\nsinks:\n  - { id: out, type: file-sink, with: { file: "${TRB_TEST_PIPELINE_FILE}" } }\n',
      )
      const loaded = await loadPipelines(dir.path, { validate: testValidator })
      expect(loaded.connectors[0]?.config.file).toBe('/srv/x.jsonl')
    } finally {
      delete process.env.TRB_TEST_PIPELINE_FILE
    }
  })
})

async function fixFixture(name: string, change: (text: string) => string): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await makeTempDir()
  const file = path.join(dir.path, name)
  fs.writeFileSync(file, change(fs.readFileSync(path.join(fixtures, name), 'utf8')))
  return { file, remove: dir.remove }
}
