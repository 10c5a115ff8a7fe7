/**
 * `tributary validate <path>` checks pipeline files without a worker; `plan <path>` shows what
 * applying them would change on the running worker; `reload` makes the worker apply its own files.
 */
import { builtinPlugins } from '../../connectors/index.ts'
import { loadPipelines, type LoadedPipelines } from '../config/load-pipelines.ts'
import { loadPlugins } from '../runtime/load-plugins.ts'
import { PluginCatalog } from '../runtime/plugin-catalog.ts'
import { recordProcessing } from '../runtime/processing-factory.ts'
import { validateConnectorConfig } from '../runtime/validate-connector.ts'
import type { PipelinePlan } from '../worker/pipeline-manager.ts'
import { parseList } from '../worker-settings.ts'
import { parse } from './args.ts'
import { printJson } from './output.ts'

/** The worker's own flag and variable: files may name plugins it loads from there. */
export const PIPELINE_OPTIONS = { 'plugin-path': { type: 'string' } } as const

export async function loadLocally(target: string, pluginPath: string | undefined): Promise<LoadedPipelines> {
  const loaded = await loadPlugins(parseList(pluginPath ?? process.env.TRIBUTARY_PLUGIN_PATH) ?? [], builtinPlugins)
  const catalog = new PluginCatalog([...builtinPlugins, ...loaded])
  // The worker's own limit on `${VAR}`, so a file that passes here is read alike by the worker.
  return loadPipelines(target, {
    validate: (config) => validateConnectorConfig(catalog, recordProcessing.validate, config).problems,
    envAllowlist: process.env.TRIBUTARY_ENV_ALLOWLIST,
  })
}

export async function validateCommand(args: string[]): Promise<void> {
  const { positionals, json, values } = parse(args, PIPELINE_OPTIONS)
  const loaded = await loadLocally(positionals[0] ?? 'config', values['plugin-path'] as string | undefined)
  if (json)
    return printJson({
      valid: true,
      files: loaded.files,
      connectors: loaded.connectors.map((c) => c.name),
      topics: loaded.topics.map((t) => t.name),
    })
  process.stdout.write(`ok: ${loaded.files.length} file(s), ${loaded.connectors.length} connector(s), ${loaded.topics.length} topic(s)\n`)
}

export async function planCommand(args: string[]): Promise<void> {
  const { positionals, json, client, values } = parse(args, PIPELINE_OPTIONS)
  const loaded = await loadLocally(positionals[0] ?? 'config', values['plugin-path'] as string | undefined)
  const plan = await client.request<PipelinePlan>('POST', '/pipelines/plan', {
    connectors: loaded.connectors.map(({ name, config, file }) => ({ name, config, file })),
  })
  if (json) return printJson(plan)
  printPlan(plan)
}

export async function reloadCommand(args: string[]): Promise<void> {
  const { json, client } = parse(args)
  const plan = await client.request<PipelinePlan>('POST', '/pipelines/reload')
  if (json) return printJson(plan)
  printPlan(plan)
}

function printPlan(plan: PipelinePlan): void {
  for (const name of plan.added) process.stdout.write(`+ ${name} (added)\n`)
  for (const { name, keys } of plan.changed) process.stdout.write(`~ ${name} (changed: ${keys.join(', ') || 'owner'}; restarts)\n`)
  for (const name of plan.removed) process.stdout.write(`- ${name} (removed)\n`)
  // Secrets are never compared in the answer (it would confirm a guess): say which were not.
  for (const { name, keys } of plan.uncompared ?? [])
    process.stdout.write(`? ${name} (secrets not compared: ${keys.join(', ')}; a changed one restarts it)\n`)
  process.stdout.write(
    `${plan.added.length} to add, ${plan.changed.length} to change, ${plan.removed.length} to remove, ${plan.unchanged.length} unchanged\n`,
  )
}
