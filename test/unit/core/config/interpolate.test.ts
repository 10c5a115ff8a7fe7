import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { envRefusal } from '../../../../core/config/env-policy.ts'
import { interpolate, interpolateDocument } from '../../../../core/config/interpolate.ts'

describe('interpolate', () => {
  it('substitutes variables and defaults', () => {
    expect(interpolate('${A}-${B:-b}-${C:-}', { A: 'a' })).toEqual({ value: 'a-b-', missing: [], malformed: [], refused: [] })
    expect(interpolate('postgres://${HOST:-localhost}:${PORT}/db', { PORT: '5432' }).value).toBe('postgres://localhost:5432/db')
  })

  it('uses the default for an empty variable, as the shell does, and keeps an empty one without a default', () => {
    expect(interpolate('${EMPTY:-fallback}', { EMPTY: '' }).value).toBe('fallback')
    expect(interpolate('[${EMPTY}]', { EMPTY: '' })).toEqual({ value: '[]', missing: [], malformed: [], refused: [] })
  })

  it('reports an unset variable without a default instead of writing an empty string', () => {
    expect(interpolate('x${MISSING}y${ALSO}', {})).toEqual({
      value: 'x${MISSING}y${ALSO}',
      missing: ['MISSING', 'ALSO'],
      malformed: [],
      refused: [],
    })
  })

  it('writes a literal ${ for $${ and leaves other dollars alone', () => {
    expect(interpolate('$${HOME} costs $5 and $HOME', { HOME: '/root' })).toEqual({
      value: '${HOME} costs $5 and $HOME',
      missing: [],
      malformed: [],
      refused: [],
    })
  })

  it('reports references that are not variables, including nested defaults', () => {
    expect(interpolate('${1X} ${A-b} ${A:-${B}} ${open', { A: 'a', B: 'b' }).malformed).toEqual(['${1X}', '${A-b}', '${A:-${B}', '${open'])
  })
})

describe('interpolateDocument', () => {
  it('replaces values in place so a variable cannot inject YAML structure', () => {
    const doc = parseDocument('a: ${EVIL}\nlist: [x, "${EVIL}"]\n')
    expect(interpolateDocument(doc, { EVIL: 'b\nc: d' })).toEqual([])
    expect(doc.toJS()).toEqual({ a: 'b\nc: d', list: ['x', 'b\nc: d'] })
  })

  it('leaves keys alone and names each problem by its key path', () => {
    const doc = parseDocument('${KEY}: 1\nsources:\n  - with: { url: "${URL}" }\n')
    const problems = interpolateDocument(doc, { KEY: 'k' })
    expect(doc.toJS()).toMatchObject({ '${KEY}': 1 })
    expect(problems.map((p) => [p.keyPath, p.message])).toEqual([
      [['sources', 0, 'with', 'url'], 'environment variable URL is not set and has no default (write ${URL:-default})'],
    ])
  })

  it('interpolates an anchored value once for every alias to it', () => {
    const doc = parseDocument('a: &u ${U}\nb: *u\n')
    expect(interpolateDocument(doc, { U: 'x' })).toEqual([])
    expect(doc.toJS()).toEqual({ a: 'x', b: 'x' })
  })
})

describe('the env allowlist', () => {
  const env = {
    APP_TAG: 'blue',
    PGPASSWORD: 'hunter2',
    TRIBUTARY_REST_AUTH_TOKEN: 't',
    TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'a:b',
    TRIBUTARY_LOG_SASL_PLAIN: 'u:p',
    TRIBUTARY_OUT_DIR: '/srv/out',
  }

  it("reads any variable but the worker's own credentials by default", () => {
    expect(interpolate('${APP_TAG} ${PGPASSWORD} ${TRIBUTARY_OUT_DIR}', env, envRefusal()).value).toBe('blue hunter2 /srv/out')
    for (const name of [
      'TRIBUTARY_REST_AUTH_TOKEN',
      'TRIBUTARY_KAFKA_SASL_PLAIN_USERS',
      'TRIBUTARY_LOG_SASL_PLAIN',
      'TRIBUTARY_KAFKA_SCRAM_USERS',
      'TRIBUTARY_TLS_KEY_PASSWORD',
    ]) {
      const result = interpolate(`\${${name}}`, { ...env, [name]: 'x' }, envRefusal())
      expect(result.value, name).toBe(`\${${name}}`)
      expect(result.refused, name).toEqual([expect.stringContaining("the worker's own credentials")])
    }
  })

  it('matches the whole name against the pattern, and refuses the rest even with a default', () => {
    const refusal = envRefusal('APP_.*|TRIBUTARY_.*')
    expect(interpolate('${APP_TAG}', env, refusal).value).toBe('blue')
    const refused = interpolate('${PGPASSWORD} ${XAPP_TAG:-d} ${TRIBUTARY_REST_AUTH_TOKEN}', env, refusal)
    expect(refused.value).toBe('${PGPASSWORD} ${XAPP_TAG:-d} ${TRIBUTARY_REST_AUTH_TOKEN}')
    expect(refused.refused).toEqual([
      expect.stringMatching(/PGPASSWORD .*--env-allowlist \(TRIBUTARY_ENV_ALLOWLIST\)/),
      expect.stringContaining('XAPP_TAG'),
      expect.stringContaining("TRIBUTARY_REST_AUTH_TOKEN holds one of the worker's own credentials"),
    ])
  })

  it('reports a refused variable at its key, without its value', () => {
    const doc = parseDocument('sinks:\n  - with: { url: "${PGPASSWORD}" }\n')
    const problems = interpolateDocument(doc, env, envRefusal('APP_.*'))
    expect(problems.map((p) => p.keyPath)).toEqual([['sinks', 0, 'with', 'url']])
    expect(problems[0]?.message).not.toContain('hunter2')
  })

  it('refuses a pattern that is not a regular expression', () => {
    expect(() => envRefusal('APP_(')).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })
})
