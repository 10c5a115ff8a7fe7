/**
 * The plugin API is the only door into the runtime: a connector imports core/runtime/plugin.ts and
 * nothing else from core/, and besides its own folder only the folders connectors share. A built-in
 * connector then needs nothing a third-party one cannot have.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
const connectors = path.join(root, 'connectors')
const pluginApi = path.join(root, 'core/runtime/plugin.ts')
const shared = ['sql-sink', 'cdc-envelope'].map((folder) => path.join(connectors, folder))

/** Every module specifier in static imports and re-exports, side-effect imports and dynamic imports. */
function specifiers(source: string): string[] {
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] as string))
}

function sourceFiles(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

/** What a file may not import, or undefined when it may. */
function refusal(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined // packages and node: builtins
  const target = path.resolve(path.dirname(file), specifier)
  if (!target.startsWith(connectors + path.sep)) return target === pluginApi ? undefined : 'reaches past core/runtime/plugin.ts'
  if (path.dirname(file) === connectors) return undefined // index.ts lists them all
  const own = path.join(connectors, path.relative(connectors, file).split(path.sep)[0] as string)
  const allowed = [own, ...shared].some((folder) => target.startsWith(folder + path.sep))
  return allowed ? undefined : "reaches into another connector's folder"
}

describe('connector imports', () => {
  it('reach the runtime only through the plugin API, and other connectors only through the shared folders', () => {
    const refused = sourceFiles(connectors).flatMap((file) => {
      const source = fs.readFileSync(file, 'utf8')
      return specifiers(source).flatMap((specifier) => {
        const reason = refusal(file, specifier)
        return reason === undefined ? [] : [`${path.relative(root, file)}: ${specifier} ${reason}`]
      })
    })
    expect(refused).toEqual([])
  })

  it('are all seen by the scan', () => {
    // A guard on the scan itself: a connector that imports the plugin API is found importing it.
    const sources = sourceFiles(connectors).map((file) => fs.readFileSync(file, 'utf8'))
    expect(sources.length).toBeGreaterThan(50)
    expect(
      sources.filter((source) => specifiers(source).some((specifier) => specifier.endsWith('core/runtime/plugin.ts'))).length,
    ).toBeGreaterThan(20)
    expect(refusal(path.join(connectors, 'file/source.ts'), '../../core/errors.ts')).toBe('reaches past core/runtime/plugin.ts')
    expect(refusal(path.join(connectors, 'mysql/sink/sink.ts'), '../../postgres/source/lsn.ts')).toBe(
      "reaches into another connector's folder",
    )
    expect(refusal(path.join(connectors, 'mysql/sink/sink.ts'), '../../sql-sink/sql-sink-task.ts')).toBeUndefined()
  })
})
