/**
 * docs/architecture.md is the map a newcomer reads first, so it is held to the code: its layer table
 * says what .dependency-cruiser.mjs enforces, and every file, folder and page it names exists.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
const page = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8')

interface Rule {
  readonly name: string
  readonly comment: string
  readonly from: { readonly path: string }
}
const cruiser = (await import(/* @vite-ignore */ path.join(root, '.dependency-cruiser.mjs'))) as { default: { forbidden: Rule[] } }
/** Each layer's `<layer>-imports-downwards` rule: the layer's files, and the layers its comment says it may import. */
const layerRules = new Map(
  cruiser.default.forbidden.flatMap((rule) => {
    const layer = /^(\w+)-imports-downwards$/.exec(rule.name)?.[1]
    const allowed = /^\w+ may import (.*) \(/.exec(rule.comment)?.[1]?.split(', ')
    return layer === undefined || allowed === undefined
      ? []
      : [[layer, { files: new RegExp(rule.from.path), may: allowed.filter((name) => name !== layer) }] as const]
  }),
)

/** The rows of the table under "## Layers": layer, the paths of core/ its files cell names, and what it may import. */
const layerRows = [...page.matchAll(/^\| (\w+) \| (.*) \| (.*) \|$/gm)]
  .filter(([, layer]) => layer !== 'layer')
  .map(([, layer, files, may]) => ({
    layer: layer as string,
    paths: [...(files as string).matchAll(/`([^`]+)`/g)].map((match) => match[1] as string).filter((name) => name.startsWith('core/')),
    may: may === 'nothing' ? [] : (may as string).split(', '),
  }))

describe('docs/architecture.md', () => {
  it('has the layers .dependency-cruiser.mjs enforces, each importing what its rule allows', () => {
    expect(layerRules.size).toBeGreaterThan(0)
    expect(layerRows.map((row) => row.layer).sort()).toEqual([...layerRules.keys(), 'top'].sort())
    for (const row of layerRows.filter((r) => r.layer !== 'top')) {
      const rule = layerRules.get(row.layer)!
      expect(row.may, `what ${row.layer} may import`).toEqual(rule.may)
      for (const named of row.paths) expect(named, `${named} is not in the layer ${row.layer}`).toMatch(rule.files)
    }
  })

  it('names every base file', () => {
    const base = layerRules.get('base')!.files
    const files = fs
      .readdirSync(path.join(root, 'core'))
      .map((name) => `core/${name}`)
      .filter((name) => base.test(name))
    expect(layerRows.find((row) => row.layer === 'base')?.paths.sort()).toEqual(files.sort())
  })

  it('names only files and folders that exist, and links only pages that exist', () => {
    const missing: string[] = []
    for (const [, named] of page.matchAll(/`([^`\s]+)`/g)) {
      const target = named as string
      if (isPath(target) && !fs.existsSync(path.join(root, target)) && !existsBelow(target)) missing.push(target)
    }
    for (const [, link] of page.matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)) {
      if (!fs.existsSync(path.join(root, 'docs', link as string))) missing.push(link as string)
    }
    expect(missing).toEqual([])
  })
})

/** `core/log/`, `vitest.config.ts`: a folder or a source file; not `./testing` (an export) nor `snapshot.thread` (a key). */
function isPath(text: string): boolean {
  return !text.startsWith('./') && /^[\w.-]+(\/[\w.-]*)*$/.test(text) && (text.includes('/') || /\.(ts|mjs|md)$/.test(text))
}

/** A folder or file named relative to the one the text is about (`routes/`, `transaction-coordinator-crash.test.ts`). */
function existsBelow(name: string): boolean {
  const wanted = name.replace(/\/$/, '')
  const walk = (dir: string): boolean =>
    fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'target') return false
      const full = path.join(dir, entry.name)
      if (full.endsWith(`/${wanted}`)) return true
      return entry.isDirectory() && walk(full)
    })
  return ['core', 'connectors', 'test', 'ui'].some((top) => walk(path.join(root, top)))
}
