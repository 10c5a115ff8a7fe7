import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { interpolate, interpolateDocument } from '../../../../core/config/interpolate.ts'

describe('interpolate', () => {
  it('substitutes variables and defaults', () => {
    expect(interpolate('${A}-${B:-b}-${C:-}', { A: 'a' })).toEqual({ value: 'a-b-', missing: [], malformed: [] })
    expect(interpolate('postgres://${HOST:-localhost}:${PORT}/db', { PORT: '5432' }).value).toBe('postgres://localhost:5432/db')
  })

  it('uses the default for an empty variable, as the shell does, and keeps an empty one without a default', () => {
    expect(interpolate('${EMPTY:-fallback}', { EMPTY: '' }).value).toBe('fallback')
    expect(interpolate('[${EMPTY}]', { EMPTY: '' })).toEqual({ value: '[]', missing: [], malformed: [] })
  })

  it('reports an unset variable without a default instead of writing an empty string', () => {
    expect(interpolate('x${MISSING}y${ALSO}', {})).toEqual({ value: 'x${MISSING}y${ALSO}', missing: ['MISSING', 'ALSO'], malformed: [] })
  })

  it('writes a literal ${ for $${ and leaves other dollars alone', () => {
    expect(interpolate('$${HOME} costs $5 and $HOME', { HOME: '/root' })).toEqual({ value: '${HOME} costs $5 and $HOME', missing: [], malformed: [] })
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
    expect(problems.map((p) => [p.keyPath, p.message])).toEqual([[['sources', 0, 'with', 'url'], 'environment variable URL is not set and has no default (write ${URL:-default})']])
  })

  it('interpolates an anchored value once for every alias to it', () => {
    const doc = parseDocument('a: &u ${U}\nb: *u\n')
    expect(interpolateDocument(doc, { U: 'x' })).toEqual([])
    expect(doc.toJS()).toEqual({ a: 'x', b: 'x' })
  })
})
