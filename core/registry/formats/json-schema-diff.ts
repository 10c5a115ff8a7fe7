/**
 * Confluent's JSON Schema compatibility (json-schema-provider's SchemaDiff): the differences from the
 * schema that wrote (original) to the one that reads (update), each at a `#/` JSON pointer, kept only
 * when they are not in its strict list of compatible changes. A reader/writer pair met again while it
 * is compared (a recursive `$ref`) counts as compatible; a pair met again later answers as before.
 */
import type { ReadRoles } from '../schema-format.ts'
import {
  compareLimits,
  DiffContext,
  IN_PROGRESS,
  loadOriginal,
  loadUpdate,
  pathText,
  sameJson,
  type Difference,
} from './json-schema-diff-context.ts'
import { compareArrays, compareObjects } from './json-schema-diff-content.ts'
import { describeDifference, isCompatibleChange, type DifferenceType } from './json-schema-differences.ts'
import type { JsonSchemaLoader, JsonSchemaNode } from './json-schema-model.ts'

/** The differences that keep a reader of `update` from reading all `original` wrote, as Confluent words them. */
export function jsonSchemaReadProblems(
  original: JsonSchemaLoader,
  originalRoot: unknown,
  update: JsonSchemaLoader,
  updateRoot: unknown,
  roles: ReadRoles,
): string[] {
  const context = new DiffContext({ compare: compareSchemas, original, update, memo: new Map() })
  compareSchemas(context, original.load(originalRoot), update.load(updateRoot))
  return context.differences
    .filter((difference) => !isCompatibleChange(difference.type))
    .map((difference) => describeDifference(difference.type, difference.path, roles))
}

function compareSchemas(context: DiffContext, original: JsonSchemaNode | undefined, update: JsonSchemaNode | undefined): void {
  if (original === undefined && update === undefined) return
  if (original === undefined) {
    context.add('SCHEMA_ADDED')
    return
  }
  if (update === undefined) {
    context.add('SCHEMA_REMOVED')
    return
  }
  let byUpdate = context.shared.memo.get(original)
  if (byUpdate === undefined) {
    byUpdate = new Map()
    context.shared.memo.set(original, byUpdate)
  }
  const known = byUpdate.get(update)
  let relative: readonly Difference[]
  if (known === IN_PROGRESS) relative = []
  else if (known !== undefined) relative = known
  else {
    byUpdate.set(update, IN_PROGRESS)
    const pair = new DiffContext(context.shared)
    compareTypes(pair, original, update)
    relative = pair.differences
    byUpdate.set(update, relative)
  }
  const prefix = pathText(context.path)
  for (const difference of relative) {
    const path = context.path.length === 0 ? difference.path : difference.path === '#/' ? prefix : `${prefix}/${difference.path.slice(2)}`
    context.differences.push({ type: difference.type, path })
  }
}

function subschemasOf(
  context: DiffContext,
  node: Extract<JsonSchemaNode, { kind: 'combined' }>,
  side: 'original' | 'update',
): JsonSchemaNode[] {
  const load = side === 'original' ? loadOriginal : loadUpdate
  return node.subschemas.map((raw) => load(context, raw, node.raw)).filter((sub): sub is JsonSchemaNode => sub !== undefined)
}

function firstCompatible(context: DiffContext, pairs: Array<[JsonSchemaNode, JsonSchemaNode]>, extra: DifferenceType | undefined): boolean {
  for (const [original, update] of pairs) {
    const sub = context.sub()
    compareSchemas(sub, original, update)
    if (sub.isCompatible()) {
      context.addAll(sub.differences)
      if (extra !== undefined) context.add(extra)
      return true
    }
  }
  return false
}

function compareTypes(context: DiffContext, original: JsonSchemaNode, update: JsonSchemaNode): void {
  if (original.kind !== 'combined' && update.kind === 'combined') {
    const subs = subschemasOf(context, update, 'update')
    if (subs.length === 1 && firstCompatible(context, [[original, subs[0] as JsonSchemaNode]], undefined)) return
    if (
      subs.length > 1 &&
      update.criterion !== 'allOf' &&
      firstCompatible(
        context,
        subs.map((sub) => [original, sub]),
        'SUM_TYPE_EXTENDED',
      )
    )
      return
  } else if (original.kind === 'combined' && update.kind !== 'combined') {
    const subs = subschemasOf(context, original, 'original')
    if (subs.length === 1 && firstCompatible(context, [[subs[0] as JsonSchemaNode, update]], undefined)) return
    if (
      subs.length > 1 &&
      original.criterion === 'allOf' &&
      firstCompatible(
        context,
        subs.map((sub) => [sub, update]),
        'PRODUCT_TYPE_NARROWED',
      )
    )
      return
  }
  if (original.kind !== update.kind) {
    if (original.kind === 'false' || update.kind === 'true') return
    context.add('TYPE_CHANGED')
    return
  }
  if (!sameJson(original.id, update.id)) context.add('ID_CHANGED')
  if (!sameJson(original.title, update.title)) context.add('TITLE_CHANGED')
  if (!sameJson(original.description, update.description)) context.add('DESCRIPTION_CHANGED')
  if (!sameJson(original.defaultValue, update.defaultValue)) context.add('DEFAULT_CHANGED')
  switch (original.kind) {
    case 'string':
      compareStrings(context, original, update as typeof original)
      return
    case 'number':
      compareNumbers(context, original, update as typeof original)
      return
    case 'const':
      if (!sameJson(original.value, (update as typeof original).value)) context.add('ENUM_ARRAY_CHANGED', 'const')
      return
    case 'enum':
      compareEnums(context, original.values, (update as typeof original).values)
      return
    case 'combined':
      compareCombined(context, original, update as typeof original)
      return
    case 'not':
      compareNot(context, original, update as typeof original)
      return
    case 'object':
      compareObjects(context, original, update as typeof original)
      return
    case 'array':
      compareArrays(context, original, update as typeof original)
      return
    default:
      return
  }
}

function compareStrings(context: DiffContext, original: Extract<JsonSchemaNode, { kind: 'string' }>, update: typeof original): void {
  compareLimits(context, [
    ['maxLength', original.maxLength, update.maxLength, 'MAX_LENGTH'],
    ['minLength', original.minLength, update.minLength, 'MIN_LENGTH'],
  ])
  if (original.pattern === undefined && update.pattern !== undefined) context.add('PATTERN_ADDED', 'pattern')
  else if (original.pattern !== undefined && update.pattern === undefined) context.add('PATTERN_REMOVED', 'pattern')
  else if (original.pattern !== update.pattern) context.add('PATTERN_CHANGED', 'pattern')
}

function compareNumbers(context: DiffContext, original: Extract<JsonSchemaNode, { kind: 'number' }>, update: typeof original): void {
  compareLimits(context, [
    ['maximum', original.maximum, update.maximum, 'MAXIMUM'],
    ['minimum', original.minimum, update.minimum, 'MINIMUM'],
    ['exclusiveMaximum', original.exclusiveMaximum, update.exclusiveMaximum, 'EXCLUSIVE_MAXIMUM'],
    ['exclusiveMinimum', original.exclusiveMinimum, update.exclusiveMinimum, 'EXCLUSIVE_MINIMUM'],
  ])
  const before = original.multipleOf
  const after = update.multipleOf
  if (before !== after) {
    if (before === undefined) context.add('MULTIPLE_OF_ADDED', 'multipleOf')
    else if (after === undefined) context.add('MULTIPLE_OF_REMOVED', 'multipleOf')
    else if (before !== 0 && isMultiple(after, before)) context.add('MULTIPLE_OF_EXPANDED', 'multipleOf')
    else if (after !== 0 && isMultiple(before, after)) context.add('MULTIPLE_OF_REDUCED', 'multipleOf')
    else context.add('MULTIPLE_OF_CHANGED', 'multipleOf')
  }
  if (original.requiresInteger !== update.requiresInteger) context.add(original.requiresInteger ? 'TYPE_EXTENDED' : 'TYPE_NARROWED')
}

function isMultiple(value: number, of: number): boolean {
  const quotient = value / of
  return Math.abs(quotient - Math.round(quotient)) < 1e-9
}

function compareEnums(context: DiffContext, original: readonly unknown[], update: readonly unknown[]): void {
  const before = new Set(original.map((value) => JSON.stringify(value)))
  const after = new Set(update.map((value) => JSON.stringify(value)))
  const contains = (all: Set<string>, some: Set<string>): boolean => [...some].every((value) => all.has(value))
  if (before.size === after.size && contains(before, after)) return
  if (contains(after, before)) context.add('ENUM_ARRAY_EXTENDED', 'enum')
  else if (contains(before, after)) context.add('ENUM_ARRAY_NARROWED', 'enum')
  else context.add('ENUM_ARRAY_CHANGED', 'enum')
}

function compareNot(context: DiffContext, original: Extract<JsonSchemaNode, { kind: 'not' }>, update: typeof original): void {
  context.within('not', () => {
    const sub = context.sub()
    // Reversed: what the reader must not match may only shrink.
    compareSchemas(sub, loadUpdate(context, update.mustNotMatch, update.raw), loadOriginal(context, original.mustNotMatch, original.raw))
    context.add(sub.isCompatible() ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED')
  })
}

function compareCombined(context: DiffContext, original: Extract<JsonSchemaNode, { kind: 'combined' }>, update: typeof original): void {
  if (original.criterion !== update.criterion) {
    const singleton = (node: typeof original): boolean => node.subschemas.length === 1
    const extended =
      update.criterion === 'anyOf' ||
      (singleton(original) && singleton(update)) ||
      (singleton(original) && update.criterion === 'oneOf') ||
      (singleton(update) && original.criterion === 'allOf')
    context.add(extended ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED')
    if (!extended) return
  }
  const originals = distinct(subschemasOf(context, original, 'original'))
  const updates = distinct(subschemasOf(context, update, 'update'))
  if (originals.length < updates.length) context.add(update.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED')
  else if (originals.length > updates.length) context.add(original.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED')
  const edges = new Map<number, Map<number, readonly Difference[]>>()
  originals.forEach((sub, index) => {
    context.within(`${original.criterion}/${index}`, () => {
      updates.forEach((other, otherIndex) => {
        const subContext = context.sub()
        compareSchemas(subContext, sub, other)
        if (subContext.isCompatible()) {
          if (!edges.has(index)) edges.set(index, new Map())
          edges.get(index)?.set(otherIndex, subContext.differences)
        }
      })
    })
  })
  const matching = maximumMatching(originals.length, edges)
  for (const [index, otherIndex] of matching) context.addAll(edges.get(index)?.get(otherIndex) ?? [])
  if (matching.size < Math.min(originals.length, updates.length)) context.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED')
}

function distinct(nodes: JsonSchemaNode[]): JsonSchemaNode[] {
  const seen = new Set<string>()
  return nodes.filter((node) => {
    const key = JSON.stringify(node, (_key, value: unknown) => (typeof value === 'symbol' ? undefined : value))
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** A maximum bipartite matching (augmenting paths): original index → update index. */
function maximumMatching(count: number, edges: ReadonlyMap<number, ReadonlyMap<number, unknown>>): Map<number, number> {
  const matchOfUpdate = new Map<number, number>()
  const tryAugment = (index: number, visited: Set<number>): boolean => {
    for (const other of edges.get(index)?.keys() ?? []) {
      if (visited.has(other)) continue
      visited.add(other)
      const current = matchOfUpdate.get(other)
      if (current === undefined || tryAugment(current, visited)) {
        matchOfUpdate.set(other, index)
        return true
      }
    }
    return false
  }
  for (let index = 0; index < count; index++) tryAugment(index, new Set())
  return new Map([...matchOfUpdate].map(([other, index]) => [index, other]))
}
