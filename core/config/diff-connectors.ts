/**
 * What applying pipeline files would do to a running worker, by connector name: added, changed
 * (with the keys that differ), removed, unchanged. Removal is limited to connectors an earlier load
 * from files created: a connector made through the REST API is never removed by a reload, even when
 * its name looks like `<pipeline>.<id>` of a pipeline in the files.
 */
import type { ConnectorDefinition } from './pipeline-types.ts'

export interface ConnectorChange {
  readonly name: string
  /** Keys added, removed or given another value, sorted. */
  readonly keys: string[]
  readonly definition: ConnectorDefinition
}

export interface ConnectorDiff {
  readonly added: ConnectorDefinition[]
  readonly changed: ConnectorChange[]
  /** Sorted. */
  readonly removed: string[]
  readonly unchanged: string[]
  /** Running connectors not made from files that a file now defines: applying puts them under the file. */
  readonly adopted: string[]
}

export interface DiffOptions {
  /**
   * Names of the running connectors that earlier loads from files created (the worker records the
   * file of each). Only these can be removed; without it nothing is.
   */
  readonly fromFiles?: Iterable<string>
}

export function diffConnectors(
  running: ReadonlyMap<string, Readonly<Record<string, string>>>,
  wanted: readonly ConnectorDefinition[],
  options: DiffOptions = {},
): ConnectorDiff {
  const fromFiles = new Set(options.fromFiles ?? [])
  const diff = {
    added: [] as ConnectorDefinition[],
    changed: [] as ConnectorChange[],
    removed: [] as string[],
    unchanged: [] as string[],
    adopted: [] as string[],
  }
  for (const definition of wanted) {
    const current = running.get(definition.name)
    if (current === undefined) {
      diff.added.push(definition)
      continue
    }
    if (!fromFiles.has(definition.name)) diff.adopted.push(definition.name)
    const keys = changedKeys(current, definition.config)
    if (keys.length > 0) diff.changed.push({ name: definition.name, keys, definition })
    else diff.unchanged.push(definition.name)
  }
  const wantedNames = new Set(wanted.map((definition) => definition.name))
  for (const name of running.keys()) {
    if (fromFiles.has(name) && !wantedNames.has(name)) diff.removed.push(name)
  }
  diff.removed.sort()
  return diff
}

function changedKeys(current: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): string[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(wanted)])
  return [...keys].filter((key) => current[key] !== wanted[key]).sort()
}
