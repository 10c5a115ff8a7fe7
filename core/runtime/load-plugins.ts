/**
 * Loads the connector plugins `--plugin-path` (TRIBUTARY_PLUGIN_PATH) names, to run beside the
 * built-in ones: each module's default export is a plugin, or an array of plugins, made with
 * definePlugin. A name or alias another plugin already answers to is refused, naming both, rather
 * than letting one plugin quietly shadow another (a connector's class would then depend on the order
 * of a list).
 */
import { pathToFileURL } from 'node:url'
import { TributaryError } from '../errors.ts'
import { checkPlugin } from './check-plugin.ts'
import type { ConnectorPlugin } from './plugin.ts'
import { pluginModules } from './plugin-modules.ts'

export async function loadPlugins(paths: readonly string[], builtins: readonly ConnectorPlugin[]): Promise<ConnectorPlugin[]> {
  const owners = new Map<string, string>()
  const claim = (plugin: ConnectorPlugin, owner: string, file?: string): void => {
    for (const name of [plugin.name, ...(plugin.aliases ?? [])]) {
      const taken = owners.get(name)
      if (file !== undefined && taken !== undefined) {
        throw new TributaryError(
          'TRB_PLUGIN_INVALID',
          `${file}: plugin ${plugin.name} answers to "${name}", as ${taken} does; give it another name`,
          {
            details: { file, plugin: plugin.name, name },
          },
        )
      }
      owners.set(name, owner)
      // As the catalog does, `org.example.Foo` is also found as `Foo`.
      if (!owners.has(simpleName(name))) owners.set(simpleName(name), owner)
    }
  }
  for (const plugin of builtins) claim(plugin, `the built-in plugin ${plugin.name}`)
  const loaded: ConnectorPlugin[] = []
  for (const file of pluginModules(paths)) {
    for (const plugin of await importPlugins(file)) {
      claim(plugin, `plugin ${plugin.name} from ${file}`, file)
      loaded.push(plugin)
    }
  }
  return loaded
}

async function importPlugins(file: string): Promise<ConnectorPlugin[]> {
  let module: { default?: unknown }
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown }
  } catch (error) {
    throw new TributaryError('TRB_PLUGIN_INVALID', `${file} does not load: ${(error as Error).message}`, {
      cause: error,
      details: { file },
    })
  }
  const exported = module.default
  if (exported === undefined || (Array.isArray(exported) && exported.length === 0)) {
    throw new TributaryError(
      'TRB_PLUGIN_INVALID',
      `${file} exports no plugin: its default export must be a plugin made with definePlugin, or an array of them`,
      { details: { file } },
    )
  }
  return (Array.isArray(exported) ? exported : [exported]).map((value: unknown) => checkPlugin(value, file))
}

function simpleName(name: string): string {
  return name.split('.').pop() ?? name
}
