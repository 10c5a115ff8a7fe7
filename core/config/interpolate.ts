/**
 * `${VAR}` and `${VAR:-default}` in YAML scalars, resolved from the environment after parsing, so a
 * value can never inject YAML structure. An unset variable without a default is an error, never an
 * empty string; `$${` writes a literal `${`. Defaults do not nest. A variable the env policy refuses
 * (`--env-allowlist`, the worker's own credentials) is an error too, default or not, so a file never
 * quietly runs with something other than what it names.
 */
import { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml'
import type { EnvRefusal } from './env-policy.ts'
import { keyText, type KeyPath } from './yaml-locate.ts'

// Order matters: the escape first, then a well-formed reference, then any other `${` (malformed).
const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g

export interface Interpolated {
  readonly value: string
  /** Variables that are unset and have no default. */
  readonly missing: string[]
  /** `${…}` text that is not a variable reference. */
  readonly malformed: string[]
  /** Why each variable that may not be read was refused. */
  readonly refused: string[]
}

const allowAll: EnvRefusal = () => undefined

export function interpolate(text: string, env: NodeJS.ProcessEnv, refusal: EnvRefusal = allowAll): Interpolated {
  const missing: string[] = []
  const malformed: string[] = []
  const refused: string[] = []
  const value = text.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${'
    if (name === undefined || fallback?.includes('${')) {
      malformed.push(match)
      return match
    }
    const reason = refusal(name)
    if (reason !== undefined) {
      refused.push(reason)
      return match
    }
    const found = env[name]
    // As the shell's `:-`: an empty variable takes the default too.
    if (fallback !== undefined && (found === undefined || found === '')) return fallback
    if (found !== undefined) return found
    missing.push(name)
    return match
  })
  return { value, missing, malformed, refused }
}

export interface InterpolationProblem {
  readonly node: Scalar
  readonly keyPath: KeyPath
  readonly message: string
}

/** Interpolates every string value (not keys) in place; aliases share their anchor's result. */
export function interpolateDocument(doc: Document, env: NodeJS.ProcessEnv, refusal: EnvRefusal = allowAll): InterpolationProblem[] {
  const problems: InterpolationProblem[] = []
  const walk = (node: unknown, keyPath: KeyPath): void => {
    if (isMap(node)) for (const pair of node.items) walk(pair.value, [...keyPath, keyText(pair.key)])
    else if (isSeq(node))
      node.items.forEach((item, index) => {
        walk(item, [...keyPath, index])
      })
    else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const { value, missing, malformed, refused } = interpolate(node.value, env, refusal)
      node.value = value
      for (const message of refused) problems.push({ node, keyPath, message })
      for (const name of missing) {
        problems.push({ node, keyPath, message: `environment variable ${name} is not set and has no default (write \${${name}:-default})` })
      }
      for (const text of malformed) {
        problems.push({
          node,
          keyPath,
          message: `"${text}" is not a variable reference: write \${NAME} or \${NAME:-default}, or $\${ for a literal \${`,
        })
      }
    }
  }
  walk(doc.contents, [])
  return problems
}
