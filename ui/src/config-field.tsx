/**
 * One config key of a plugin's schema as a form field: a choice list for booleans and enums, a
 * masked input for secrets, text otherwise; its documentation and its validation errors are tied to
 * it for screen readers.
 */
import type { ConfigKey } from './types.ts'

interface Props {
  readonly definition: ConfigKey
  readonly value: string
  readonly errors: readonly string[]
  readonly onChange: (value: string) => void
}

export function ConfigField({ definition, value, errors, onChange }: Props) {
  const id = `field-${definition.name}`
  const choices = definition.type === 'BOOLEAN' ? ['true', 'false'] : (definition.recommended_values ?? [])
  const described = [definition.documentation.length > 0 && `${id}-help`, errors.length > 0 && `${id}-errors`].filter(Boolean).join(' ')
  // No `required` attribute: the worker's validation speaks for every field, required or not.
  const common = { id, 'aria-invalid': errors.length > 0, 'aria-required': definition.required, 'aria-describedby': described || undefined }
  return (
    <div class="field" data-field={definition.name}>
      <div>
        <label for={id}>{definition.name}</label>
        {definition.required && (
          <span class="muted" aria-hidden="true">
            {' '}
            (required)
          </span>
        )}
      </div>
      {choices.length > 0 ? (
        <select {...common} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
          <option value="">{definition.default_value === null ? '—' : `default: ${definition.default_value}`}</option>
          {choices.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={definition.type === 'PASSWORD' ? 'password' : 'text'}
          autocomplete={definition.type === 'PASSWORD' ? 'new-password' : 'off'}
          inputMode={['INT', 'LONG'].includes(definition.type) ? 'numeric' : undefined}
          placeholder={definition.default_value ?? ''}
          value={value}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      )}
      {definition.documentation.length > 0 && (
        <p id={`${id}-help`} class="muted help">
          {definition.documentation}
        </p>
      )}
      {errors.length > 0 && (
        <p id={`${id}-errors`} class="bad field-errors">
          {errors.join(' ')}
        </p>
      )}
    </div>
  )
}
