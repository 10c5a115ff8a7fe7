/**
 * The module files `--plugin-path` names, read as Kafka Connect reads its plugin.path: a `.js` or
 * `.mjs` file is one module; a directory with a package.json is one package, entered where its
 * `exports` (or else `main`) says; any other directory holds plugins, its own module files and
 * package directories one level down. Nothing else is searched: the worker runs these modules' code,
 * so it reads only what the operator named.
 */
import fs from 'node:fs'
import path from 'node:path'
import { TributaryError } from '../errors.ts'

const MODULE_FILE = /\.[cm]?js$/

/** Every module file the entries name, in order, each once. */
export function pluginModules(entries: readonly string[]): string[] {
  return [...new Set(entries.flatMap((entry) => modulesAt(path.resolve(entry))))]
}

function modulesAt(target: string): string[] {
  const stat = statOf(target)
  if (stat.isFile()) {
    if (!MODULE_FILE.test(target)) throw invalid(target, 'is not a JavaScript module (.js or .mjs)')
    return [target]
  }
  if (!stat.isDirectory()) throw invalid(target, 'is neither a file nor a directory')
  if (fs.existsSync(path.join(target, 'package.json'))) return [packageEntry(target)]
  return fs
    .readdirSync(target)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .flatMap((name) => {
      const child = path.join(target, name)
      const childStat = statOf(child)
      if (childStat.isFile() && MODULE_FILE.test(name)) return [child]
      if (childStat.isDirectory() && fs.existsSync(path.join(child, 'package.json'))) return [packageEntry(child)]
      return []
    })
}

/** The file a package directory's package.json makes its entry point for `import`. */
function packageEntry(directory: string): string {
  const manifestFile = path.join(directory, 'package.json')
  let manifest: { exports?: unknown; main?: unknown }
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as typeof manifest
  } catch (error) {
    throw invalid(manifestFile, `cannot be read: ${(error as Error).message}`, error)
  }
  const entry = exportsTarget(manifest.exports) ?? (typeof manifest.main === 'string' ? manifest.main : 'index.js')
  const file = path.resolve(directory, entry)
  if (!file.startsWith(directory + path.sep)) throw invalid(manifestFile, `names an entry point outside its directory: ${entry}`)
  if (!fs.existsSync(file)) throw invalid(manifestFile, `names the entry point ${entry}, which does not exist (is the package built?)`)
  return file
}

/** The "." export as `import` resolves it: a string, or the first of the conditions import, node, default. */
function exportsTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports
  if (Array.isArray(exports)) return exports.map(exportsTarget).find((target) => target !== undefined)
  if (exports === null || typeof exports !== 'object') return undefined
  const map = exports as Record<string, unknown>
  if (Object.keys(map).some((key) => key.startsWith('.'))) return exportsTarget(map['.'])
  for (const [condition, target] of Object.entries(map)) {
    if (condition !== 'import' && condition !== 'node' && condition !== 'default') continue
    const resolved = exportsTarget(target)
    if (resolved !== undefined) return resolved
  }
  return undefined
}

function statOf(target: string): fs.Stats {
  try {
    return fs.statSync(target)
  } catch (error) {
    throw invalid(target, `cannot be read: ${(error as Error).message}`, error)
  }
}

function invalid(file: string, problem: string, cause?: unknown): TributaryError {
  return new TributaryError('TRB_PLUGIN_INVALID', `plugin path ${file} ${problem}`, {
    details: { file },
    ...(cause !== undefined && { cause }),
  })
}
