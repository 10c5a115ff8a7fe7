/**
 * `${VAR}` and `${VAR:-default}` in YAML scalars, resolved from the environment after parsing, so a
 * value can never inject YAML structure. An unset variable without a default is an error, never an
 * empty string; `$${` writes a literal `${`.
 */
const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

export function interpolate(text: string, env: NodeJS.ProcessEnv): { value: string; missing: string[] } {
  const missing: string[] = []
  const value = text.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${'
    const found = env[name as string]
    if (found !== undefined && found !== '') return found
    if (fallback !== undefined) return fallback
    if (found === '') return ''
    missing.push(name as string)
    return match
  })
  return { value, missing }
}
