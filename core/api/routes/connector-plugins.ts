/**
 * `GET /connector-plugins`, `GET /connector-plugins/{plugin}/config` and
 * `PUT /connector-plugins/{plugin}/config/validate`, in Kafka Connect's shapes (ConfigKeyInfo,
 * ConfigInfos). The plugin list is the explicit built-in list; extras (transforms, predicates,
 * converters) appear with `connectorsOnly=false`.
 */
import { Router } from 'express'
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import { describeConfigKeys, type ConfigKeyInfo } from '../../runtime/config-keys.ts'
import { connectorSettingsSchema } from '../../runtime/connector-settings.ts'
import { SECRET_KEY_PATTERN } from '../../runtime/plugin.ts'
import { maskText, maskValue } from '../../secrets.ts'
import type { ExtraPlugin } from '../../runtime/processing-factory.ts'
import type { Herder } from '../../runtime/herder.ts'
import { parseBody } from '../request-body.ts'

export function connectorPluginRoutes(herder: Herder, extras: readonly ExtraPlugin[], version: string): Router {
  const router = Router()

  router.get('/connector-plugins', (req, res) => {
    const connectorsOnly = req.query.connectorsOnly !== 'false'
    const connectors = herder.catalog.plugins.map((plugin) => ({ class: plugin.name, type: plugin.kind, version: plugin.version }))
    res.json(connectorsOnly ? connectors : [...connectors, ...extras.map((extra) => ({ ...extra, version: extra.version || version }))])
  })

  router.get('/connector-plugins/:plugin/config', (req, res) => {
    res.json(definitions(herder, req.params.plugin))
  })

  router.put('/connector-plugins/:plugin/config/validate', (req, res) => {
    const plugin = herder.catalog.get(req.params.plugin)
    const config = parseBody(z.record(z.string(), z.string()), req.body, 'connector config')
    const connectorClass = config['connector.class'] ?? plugin.name
    if (herder.catalog.find(connectorClass) !== plugin) {
      throw new TributaryError(
        'TRB_CONNECTOR_CONFIG_INVALID',
        `connector.class ${connectorClass} does not match the plugin in the path (${req.params.plugin})`,
      )
    }
    const { problems } = herder.validate({ ...config, 'connector.class': connectorClass })
    const keys = definitions(herder, req.params.plugin)
    const known = new Set(keys.map((key) => key.name))
    const extraKeys = [...new Set(problems.map((problem) => problem.key))].filter((key) => !known.has(key))
    const all: ConfigKeyInfo[] = [...keys, ...extraKeys.map((name, index) => undocumentedKey(name, index))]
    res.json({
      name: plugin.name,
      error_count: problems.length,
      groups: [...new Set(all.map((key) => key.group))],
      configs: all.map((definition) => ({
        definition,
        value: {
          name: definition.name,
          value: maskedOr(definition.name, config[definition.name], definition.default_value),
          recommended_values: definition.recommended_values ?? [],
          errors: problems.filter((problem) => problem.key === definition.name).map((problem) => maskText(problem.message)),
          visible: true,
        },
      })),
    })
  })

  return router
}

function definitions(herder: Herder, pluginName: string): ConfigKeyInfo[] {
  const plugin = herder.catalog.get(pluginName)
  return [
    ...describeConfigKeys(connectorSettingsSchema, 'Common', SECRET_KEY_PATTERN),
    ...describeConfigKeys(plugin.config, plugin.name, SECRET_KEY_PATTERN),
  ]
}

function maskedOr(key: string, value: string | undefined, fallback: string | null): string | null {
  return value === undefined ? fallback : maskValue(key, value)
}

function undocumentedKey(name: string, index: number): ConfigKeyInfo {
  return {
    name,
    type: 'STRING',
    required: false,
    default_value: null,
    importance: 'LOW',
    documentation: '',
    group: 'Other',
    order_in_group: index + 1,
    width: 'NONE',
    display_name: name,
    dependents: [],
  }
}
