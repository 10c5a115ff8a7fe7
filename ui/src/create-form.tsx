/**
 * A new connector from a plugin's config schema: the fields come from
 * `GET /connector-plugins/{plugin}/config`; the worker validates the config first and its errors
 * are shown beside their fields; only then is the connector created.
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiError, request } from './api.ts'
import { NavBar } from './nav-bar.tsx'
import { PluginConfigFields } from './plugin-config-fields.tsx'
import type { ConfigKey, ConfigValidation, PluginInfo } from './types.ts'
import { usePluginSchema } from './use-plugin-schema.ts'

type FieldErrors = Readonly<Record<string, readonly string[]>>

export function CreateForm({ onCreated, onUnauthorized }: { onCreated: (name: string) => void; onUnauthorized: () => void }) {
  const [plugin, setPlugin] = useState('')
  const [name, setName] = useState('')
  const [values, setValues] = useState<Readonly<Record<string, string>>>({})
  const [errors, setErrors] = useState<FieldErrors>({})
  const [problem, setProblem] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthorized') onUnauthorized()
    setProblem((error as Error).message)
  }
  const { plugins, keys } = usePluginSchema(plugin, fail)
  // Another plugin: what was entered for the one before does not apply.
  useEffect(() => {
    setValues({})
    setErrors({})
    setProblem(undefined)
  }, [plugin])

  const submit = async () => {
    setBusy(true)
    setProblem(undefined)
    try {
      const config = { 'connector.class': plugin, ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')) }
      const validation = await validateConfig(plugin, config, keys)
      setErrors(validation.errors)
      if (validation.problem !== undefined) {
        setProblem(validation.problem)
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
        <PluginSelect plugins={plugins} plugin={plugin} onChange={setPlugin} />
        <PluginConfigFields
          keys={keys}
          kind={plugins.find((candidate) => candidate.class === plugin)?.type}
          values={values}
          errors={errors}
          onChange={(key, value) => setValues((previous) => ({ ...previous, [key]: value }))}
        />
        <div aria-live="polite">
          {problem !== undefined && (
            <p class="bad" role="alert">
              {problem}
            </p>
          )}
        </div>
        <button type="submit" class="primary" disabled={busy || plugin === ''}>
          Create
        </button>
      </form>
    </main>
  )
}

function PluginSelect({
  plugins,
  plugin,
  onChange,
}: {
  plugins: readonly PluginInfo[]
  plugin: string
  onChange: (plugin: string) => void
}) {
  return (
    <div class="field">
      <label for="connector-plugin">Plugin</label>
      <select id="connector-plugin" required value={plugin} onChange={(event) => onChange(event.currentTarget.value)}>
        <option value="">Choose a plugin</option>
        {plugins.map((candidate) => (
          <option key={candidate.class} value={candidate.class}>
            {candidate.class} ({candidate.type})
          </option>
        ))}
      </select>
    </div>
  )
}

/** The worker's errors by field, and what to say when there are any (naming the fields the form does not show). */
async function validateConfig(
  plugin: string,
  config: Readonly<Record<string, string>>,
  keys: readonly ConfigKey[],
): Promise<{ errors: FieldErrors; problem?: string }> {
  const validation = await request<ConfigValidation>('PUT', `/connector-plugins/${encodeURIComponent(plugin)}/config/validate`, config)
  const errors = Object.fromEntries(
    validation.configs.filter((entry) => entry.value.errors.length > 0).map((entry) => [entry.value.name, entry.value.errors]),
  )
  if (validation.error_count === 0) return { errors }
  const unshown = Object.keys(errors).filter((key) => !keys.some((definition) => definition.name === key))
  return {
    errors,
    problem: `The worker found ${validation.error_count} problem(s)${unshown.length > 0 ? `, also in ${unshown.join(', ')}` : ''}: see the marked fields.`,
  }
}
