/**
 * Finds a connector plugin by the name in `connector.class`: its own name, an alias (Kafka's class
 * names), or the simple name of an aliased class (`FileStreamSource` for
 * `org.apache.kafka.connect.file.FileStreamSourceConnector`), as Kafka Connect resolves them.
 */
import { TributaryError } from '../errors.ts'
import type { ConnectorPlugin } from './plugin.ts'

export class PluginCatalog {
  readonly plugins: readonly ConnectorPlugin[]
  private readonly byName = new Map<string, ConnectorPlugin>()

  constructor(plugins: readonly ConnectorPlugin[]) {
    this.plugins = plugins
    for (const plugin of plugins) {
      for (const name of [plugin.name, ...(plugin.aliases ?? [])]) {
        this.byName.set(name, plugin)
        const simple = name.split('.').pop()
        if (simple !== undefined && simple !== name && !this.byName.has(simple)) this.byName.set(simple, plugin)
      }
    }
  }

  find(connectorClass: string): ConnectorPlugin | undefined {
    return this.byName.get(connectorClass) ?? this.byName.get(connectorClass.replace(/Connector$/, ''))
  }

  get(connectorClass: string): ConnectorPlugin {
    const plugin = this.find(connectorClass)
    if (plugin === undefined) {
      throw new TributaryError(
        'TRB_PLUGIN_NOT_FOUND',
        `no connector plugin named "${connectorClass}"; known: ${this.plugins.map((p) => p.name).join(', ')}`,
        {
          details: { connectorClass },
        },
      )
    }
    return plugin
  }
}
