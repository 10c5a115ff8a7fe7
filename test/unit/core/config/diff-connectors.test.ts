import { describe, expect, it } from 'vitest'
import { diffConnectors } from '../../../../core/config/diff-connectors.ts'
import type { ConnectorDefinition } from '../../../../core/config/load-pipelines.ts'

function definition(name: string, config: Record<string, string>): ConnectorDefinition {
  return { name, config, pipeline: name.slice(0, name.lastIndexOf('.')), file: '/etc/pipelines/p.yaml', line: 1 }
}

const base = { 'connector.class': 'file-sink', 'tasks.max': '1', topics: 'orders', file: 'a.jsonl' }

describe('diffConnectors', () => {
  it('classifies connectors by name into added, changed with the keys that differ, removed and unchanged', () => {
    const running = new Map<string, Record<string, string>>([
      ['orders.same', base],
      ['orders.edited', { ...base, format: 'json', file: 'old.jsonl' }],
      ['orders.gone', base],
      ['old-pipeline.gone', base],
    ])
    const wanted = [
      definition('orders.same', { ...base }),
      definition('orders.edited', { ...base, 'tasks.max': '2' }),
      definition('orders.new', base),
    ]
    const diff = diffConnectors(running, wanted, { fromFiles: ['orders.same', 'orders.edited', 'orders.gone', 'old-pipeline.gone'] })
    expect(diff.added.map((d) => d.name)).toEqual(['orders.new'])
    expect(diff.changed.map(({ name, keys }) => ({ name, keys }))).toEqual([
      { name: 'orders.edited', keys: ['file', 'format', 'tasks.max'] },
    ])
    expect(diff.changed[0]?.definition).toBe(wanted[1])
    expect(diff.removed).toEqual(['old-pipeline.gone', 'orders.gone'])
    expect(diff.unchanged).toEqual(['orders.same'])
    expect(diff.adopted).toEqual([])
  })

  it('never removes a connector that files did not create, even under a pipeline name from the files', () => {
    const running = new Map<string, Record<string, string>>([
      ['by-hand', base],
      ['orders.by-hand', base],
      ['orders.archive', base],
    ])
    const diff = diffConnectors(running, [definition('orders.archive', base)], { fromFiles: new Set(['orders.archive']) })
    expect(diff.removed).toEqual([])
    expect(diff.unchanged).toEqual(['orders.archive'])
    expect(diffConnectors(running, [], {}).removed).toEqual([])
  })

  it('names the running connectors made another way that a file now defines', () => {
    const running = new Map<string, Record<string, string>>([['orders.archive', base]])
    const diff = diffConnectors(running, [definition('orders.archive', { ...base, file: 'b.jsonl' })], { fromFiles: [] })
    expect(diff.adopted).toEqual(['orders.archive'])
    expect(diff.changed.map((c) => c.keys)).toEqual([['file']])
  })
})
