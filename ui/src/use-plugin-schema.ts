/** The worker's connector plugins, and the config keys of the one chosen (none until they come, or while none is chosen). */
import { useEffect, useState } from 'preact/hooks'
import { request } from './api.ts'
import type { ConfigKey, PluginInfo } from './types.ts'

export function usePluginSchema(
  plugin: string,
  fail: (error: unknown) => void,
): { plugins: readonly PluginInfo[]; keys: readonly ConfigKey[] } {
  const [plugins, setPlugins] = useState<readonly PluginInfo[]>([])
  const [keys, setKeys] = useState<readonly ConfigKey[]>([])
  useEffect(() => {
    request<PluginInfo[]>('GET', '/connector-plugins').then(setPlugins, fail)
  }, [])
  useEffect(() => {
    setKeys([])
    if (plugin !== '') request<ConfigKey[]>('GET', `/connector-plugins/${encodeURIComponent(plugin)}/config`).then(setKeys, fail)
  }, [plugin])
  return { plugins, keys }
}
