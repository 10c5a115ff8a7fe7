/** The host and port a MySQL config reaches, under the key that names it, for the worker's sandbox. */
import { connectionSettings, type ConnectionConfig } from './connection-settings.ts'

export function connectionTargets(config: ConnectionConfig): Array<{ key: string; host: string; port: number }> {
  if (config.url !== undefined && config.url !== '' && !URL.canParse(config.url)) return []
  const { host, port } = connectionSettings(config)
  return [{ key: config.url ? 'url' : 'hostname', host, port }]
}
