/**
 * A new connector from a plugin's config schema: the fields come from
 * `GET /connector-plugins/{plugin}/config`; the worker validates the config first and its errors
 * are shown beside their fields; only then is the connector created.
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiError, request } from './api.ts'
import { ConfigField } from './config-field.tsx'
import { NavBar } from './nav-bar.tsx'
import type { ConfigKey, ConfigValidation, PluginInfo } from './types.ts'

const COMMON_GROUP = 'Common'
const SINK_TOPIC_KEYS = ['topics', 'topics.regex']

export function CreateForm({ onCreated, onUnauthorized }: { onCreated: (name: string) => void; onUnauthorized: () => void }) {
  const [plugins, setPlugins] = useState<readonly PluginInfo[]>([])
  const [plugin, setPlugin] = useState('')
  const [keys, setKeys] = useState<readonly ConfigKey[]>([])
  const [name, setName] = useState('')
  const [values, setValues] = useState<Readonly<Record<string, string>>>({})
  const [errors, setErrors] = useState<Readonly<Record<string, readonly string[]>>>({})
  const [problem, setProblem] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthorized') onUnauthorized()
    setProblem((error as Error).message)
  }
  useEffect(() => {
    request<PluginInfo[]>('GET', '/connector-plugins').then(setPlugins, fail)
  }, [])
  useEffect(() => {
    setKeys([])
    setValues({})
    setErrors({})
    setProblem(undefined)
    if (plugin !== '') request<ConfigKey[]>('GET', `/connector-plugins/${encodeURIComponent(plugin)}/config`).then(setKeys, fail)
  }, [plugin])

  const submit = async () => {
    setBusy(true)
    setProblem(undefined)
    try {
      const config = { 'connector.class': plugin, ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')) }
      const validation = await request<ConfigValidation>('PUT', `/connector-plugins/${encodeURIComponent(plugin)}/config/validate`, config)
      const found = Object.fromEntries(validation.configs.filter((entry) => entry.value.errors.length > 0).map((entry) => [entry.value.name, entry.value.errors]))
      setErrors(found)
      if (validation.error_count > 0) {
        const unshown = Object.keys(found).filter((key) => !keys.some((definition) => definition.name === key))
        setProblem(`The worker found ${validation.error_count} problem(s)${unshown.length > 0 ? `, also in ${unshown.join(', ')}` : ''}: see the marked fields.`)
        return
      }
      await request('POST', '/connectors', { name, config })
      onCreated(name)
    } catch (error) {
      fail(error)
    } finally {
      setBusy(false)
    }
  }

  const field = (definition: ConfigKey) => (
    <ConfigField
      key={definition.name}
      definition={definition}
      value={values[definition.name] ?? ''}
      errors={errors[definition.name] ?? []}
      onChange={(value) => setValues((previous) => ({ ...previous, [definition.name]: value }))}
    />
  )
  const kind = plugins.find((candidate) => candidate.class === plugin)?.type
  // connector.class is the plugin chosen above; a sink's topics are common keys every sink needs, so shown first.
  const shownFirst = (definition: ConfigKey) => definition.group !== COMMON_GROUP || (kind === 'sink' && SINK_TOPIC_KEYS.includes(definition.name))
  const own = keys.filter(shownFirst)
  const common = keys.filter((definition) => !shownFirst(definition) && definition.name !== 'connector.class')
  return (
    <main class="narrow-wide">
      <NavBar current="#/new" />
      <h2>New connector</h2>
      <form
        class="create-form"
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <div class="field">
          <label for="connector-name">Name</label>
          <input id="connector-name" required autocomplete="off" value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="connector-plugin">Plugin</label>
          <select id="connector-plugin" required value={plugin} onChange={(event) => setPlugin(event.currentTarget.value)}>
            <option value="">Choose a plugin</option>
            {plugins.map((candidate) => (
              <option key={candidate.class} value={candidate.class}>
                {candidate.class} ({candidate.type})
              </option>
            ))}
          </select>
        </div>
        {own.map(field)}
        {common.length > 0 && (
          <details open={common.some((definition) => (errors[definition.name]?.length ?? 0) > 0)}>
            <summary>Common settings: tasks, errors, converters, transforms, restarts</summary>
            <div class="fields">{common.map(field)}</div>
          </details>
        )}
        <div aria-live="polite">{problem !== undefined && <p class="bad" role="alert">{problem}</p>}</div>
        <button type="submit" class="primary" disabled={busy || plugin === ''}>
          Create
        </button>
      </form>
    </main>
  )
}
