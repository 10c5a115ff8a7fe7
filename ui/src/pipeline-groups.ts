/** Connectors grouped by the pipeline that owns them, pipelines by name, then those made by API. */
import type { PipelineOwner } from './types.ts'

export interface ConnectorGroup {
  /** undefined for the connectors no pipeline owns. */
  readonly pipeline: { readonly name: string; readonly file: string } | undefined
  readonly connectors: readonly string[]
}

export function groupByPipeline(owners: Readonly<Record<string, PipelineOwner>>): ConnectorGroup[] {
  const byPipeline = new Map<string, { name: string; file: string; connectors: string[] }>()
  const loose: string[] = []
  for (const name of Object.keys(owners).sort()) {
    const owner = owners[name]
    if (owner === null || owner === undefined) {
      loose.push(name)
      continue
    }
    const group = byPipeline.get(owner.name) ?? { ...owner, connectors: [] }
    group.connectors.push(name)
    byPipeline.set(owner.name, group)
  }
  const pipelines = [...byPipeline.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ connectors, ...pipeline }) => ({ pipeline, connectors }))
  return loose.length > 0 ? [...pipelines, { pipeline: undefined, connectors: loose }] : pipelines
}
