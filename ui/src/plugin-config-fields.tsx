/**
 * A plugin's config keys as form fields: its own keys first, then the common ones every connector
 * has, folded away unless one of them has an error.
 */
import { ConfigField } from './config-field.tsx'
import type { ConfigKey } from './types.ts'

const COMMON_GROUP = 'Common'
const SINK_TOPIC_KEYS = ['topics', 'topics.regex']

export function PluginConfigFields({
  keys,
  kind,
  values,
  errors,
  onChange,
}: {
  keys: readonly ConfigKey[]
  kind: string | undefined
  values: Readonly<Record<string, string>>
  errors: Readonly<Record<string, readonly string[]>>
  onChange: (name: string, value: string) => void
}) {
  const field = (definition: ConfigKey) => (
    <ConfigField
      key={definition.name}
      definition={definition}
      value={values[definition.name] ?? ''}
      errors={errors[definition.name] ?? []}
      onChange={(value) => onChange(definition.name, value)}
    />
  )
  // connector.class is the plugin chosen above; a sink's topics are common keys every sink needs, so shown first.
  const shownFirst = (definition: ConfigKey) =>
    definition.group !== COMMON_GROUP || (kind === 'sink' && SINK_TOPIC_KEYS.includes(definition.name))
  const own = keys.filter(shownFirst)
  const common = keys.filter((definition) => !shownFirst(definition) && definition.name !== 'connector.class')
  return (
    <>
      {own.map(field)}
      {common.length > 0 && (
        <details open={common.some((definition) => (errors[definition.name]?.length ?? 0) > 0)}>
          <summary>Common settings: tasks, errors, converters, transforms, restarts</summary>
          <div class="fields">{common.map(field)}</div>
        </details>
      )}
    </>
  )
}
