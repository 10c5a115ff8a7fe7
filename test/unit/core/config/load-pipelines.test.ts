import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtinPlugins } from '../../../../connectors/index.ts'
import { interpolate } from '../../../../core/config/interpolate.ts'
import { loadPipelines, PipelineError } from '../../../../core/config/load-pipelines.ts'
import { PluginCatalog } from '../../../../core/runtime/plugin-catalog.ts'
import { recordProcessing } from '../../../../core/runtime/processing-factory.ts'
import { validateConnectorConfig } from '../../../../core/runtime/validate-connector.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/yaml')
const catalog = new PluginCatalog(builtinPlugins)
const validate = (config: Readonly<Record<string, string>>) => validateConnectorConfig(catalog, recordProcessing.validate, config).problems

async function problemsOf(file: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  try {
    await loadPipelines(path.join(fixtures, file), { env, validate })
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError)
    return (error as PipelineError).problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`)
  }
  throw new Error(`${file} loaded without problems`)
}

describe('interpolate', () => {
  it('substitutes variables and defaults, escapes $${, and reports unset ones', () => {
    expect(interpolate('${A}-${B:-b}-$${C}', { A: 'a' })).toEqual({ value: 'a-b-${C}', missing: [] })
    expect(interpolate('x${MISSING}y', {})).toEqual({ value: 'x${MISSING}y', missing: ['MISSING'] })
    expect(interpolate('${EMPTY:-fallback}', { EMPTY: '' }).value).toBe('fallback')
  })
})

describe('loadPipelines', () => {
  it('turns a pipeline into flat Kafka Connect configs named <pipeline>.<id>', async () => {
    const loaded = await loadPipelines(path.join(fixtures, 'good.yaml'), { env: { ARCHIVE_DIR: '/srv' }, validate })
    expect(loaded.topics).toEqual([expect.objectContaining({ name: 'shop.orders', config: { partitions: 3, 'retention.ms': 172_800_000, 'retention.bytes': 1024 ** 3 } })])
    const [hook, archive] = loaded.connectors
    expect(hook).toMatchObject({ name: 'shop.hook', pipeline: 'shop', line: 5 })
    expect(hook?.config).toEqual({
      mode: 'webhook', 'headers.include': 'x-request-id,x-user', 'connector.class': 'http-source', 'tasks.max': '1', topic: 'shop.orders',
      transforms: 'tag', 'transforms.tag.type': 'insert-field', 'transforms.tag.static.field': 'source', 'transforms.tag.static.value': 'hook',
      'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'shop.dlq', 'errors.deadletterqueue.context.headers.enable': 'true',
    })
    expect(archive?.config).toMatchObject({ file: '/srv/orders.jsonl', topics: 'shop.orders', 'consumer.auto.offset.reset': 'latest', 'tasks.max': '2', 'transforms.paid.expr': 'value.status == "paid"' })
  })

  it('names the line, column and key of a YAML syntax error', async () => {
    const problems = await problemsOf('bad-syntax.yaml')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^bad-syntax\.yaml:[34]:\d+ : /)
  })

  it('reports every problem at once, each at its own line', async () => {
    expect(await problemsOf('bad-keys.yaml')).toEqual([
      'bad-keys.yaml:5:3 topic.partitons: unknown key',
      expect.stringMatching(/^bad-keys\.yaml:15:5 sinks\[0\]\.start: Invalid option/),
    ])
  })

  it('reports plugin config problems at the with: key they came from', async () => {
    const text = fs.readFileSync(path.join(fixtures, 'bad-keys.yaml'), 'utf8').replace('  partitons: 3\n', '').replace('start: beginning', 'start: earliest')
    const dir = await makeTempDir()
    try {
      fs.writeFileSync(path.join(dir.path, 'p.yaml'), text)
      const error = await loadPipelines(dir.path, { env: {}, validate }).catch((e: unknown) => e as PipelineError)
      const problems = (error as PipelineError).problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)
      expect(problems).toEqual([
        '10:7 sources[0].with.max.body.bytes: must be a number, got "lots"',
        '15:18 sinks[0].transforms[0]: no transform with id "nope" in transforms',
        '16:5 sinks[0].with.file: is required',
      ])
      expect((error as Error).message).toContain('p.yaml:10:7 sources[0].with.max.body.bytes')
    } finally {
      await dir.remove()
    }
  })

  it('refuses an unset variable without a default, at its line', async () => {
    expect(await problemsOf('bad-env.yaml')).toEqual(['bad-env.yaml:8:13 sinks.with.file: environment variable OUT_FILE is not set and has no default (write ${OUT_FILE:-default})'])
    const loaded = await loadPipelines(path.join(fixtures, 'bad-env.yaml'), { env: { OUT_FILE: '/tmp/x' }, validate })
    expect(loaded.connectors[0]?.config).toMatchObject({ file: '/tmp/x', format: 'json' })
  })

  it('refuses a pipeline name used by two files', async () => {
    const dir = await makeTempDir()
    try {
      const good = fs.readFileSync(path.join(fixtures, 'good.yaml'), 'utf8')
      fs.writeFileSync(path.join(dir.path, 'a.yaml'), good)
      fs.writeFileSync(path.join(dir.path, 'b.yml'), good)
      fs.writeFileSync(path.join(dir.path, 'notes.txt'), 'ignored')
      const error = (await loadPipelines(dir.path, { env: {}, validate }).catch((e: unknown) => e)) as PipelineError
      expect(error.problems.map((p) => p.message)).toContain(`pipeline "shop" is also defined in ${path.join(dir.path, 'a.yaml')}`)
    } finally {
      await dir.remove()
    }
  })
})
