import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtinPlugins } from '../../../../connectors/index.ts'
import { connectorDoc } from '../../../../core/runtime/connector-docs.ts'

const docs = path.resolve(import.meta.dirname, '../../../../docs')

describe('connector reference pages', () => {
  it('match what the schemas say (run npm run docs after changing a schema)', () => {
    for (const plugin of builtinPlugins) {
      const page = path.join(docs, `connectors/${plugin.name}.md`)
      expect(fs.existsSync(page), `docs/connectors/${plugin.name}.md is missing`).toBe(true)
      expect(fs.readFileSync(page, 'utf8')).toBe(connectorDoc(plugin))
    }
  })

  it('list every key with its description', () => {
    for (const plugin of builtinPlugins) {
      const page = connectorDoc(plugin)
      expect(page).not.toMatch(/\| \| *\|$/m)
      expect(page).toContain(`# ${plugin.name} (${plugin.kind})`)
    }
  })

  it('give the defaults of keys read as booleans, as text', () => {
    const source = builtinPlugins.find((plugin) => plugin.name === 'postgres-cdc')
    expect(source).toBeDefined()
    const page = connectorDoc(source as NonNullable<typeof source>)
    expect(page).toContain('| `tombstones.on.delete` | no | `true` |')
    expect(page).toContain('| `slot.drop.on.stop` | no | `false` |')
  })
})

describe('docs/connectors.md', () => {
  // The list's lines: `- sources: [name](connectors/name.md), …` and `- sinks: …`, wrapped lines included.
  const overview = fs.readFileSync(path.join(docs, 'connectors.md'), 'utf8')
  const listed = (kind: string): string[] => {
    const item = new RegExp(`^- ${kind}s: ((?:.|\\n  )*)`, 'm').exec(overview)
    return [...(item?.[1] ?? '').matchAll(/\[([^\]]+)\]\(connectors\/([^)]+)\.md\)/g)].map(([, name, page]) => {
      expect(page, `${name} links to another plugin's page`).toBe(name)
      return name as string
    })
  }

  it('names every built-in plugin, and only those, under its kind', () => {
    for (const kind of ['source', 'sink'] as const) {
      const builtIn = builtinPlugins.filter((plugin) => plugin.kind === kind).map((plugin) => plugin.name)
      expect(listed(kind).sort(), `the ${kind}s docs/connectors.md lists`).toEqual(builtIn.sort())
    }
  })
})
