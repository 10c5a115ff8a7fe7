/**
 * The content models of Confluent's JSON Schema compatibility (ObjectSchemaDiff, ArraySchemaDiff):
 * what an object's properties and an array's items may do between the writing schema (original) and
 * the reading one (update). A property may leave a reader whose model is open, and join one only if
 * the writer's model was closed to it (or its partially open model allowed it); required ones must
 * have a default.
 */
import { compareLimits, loadOriginal, loadUpdate, sameJson, type DiffContext } from './json-schema-diff-context.ts'
import type { JsonSchemaNode } from './json-schema-model.ts'

type JsonObject = Record<string, unknown>
type ObjectNode = Extract<JsonSchemaNode, { kind: 'object' }>
type ArrayNode = Extract<JsonSchemaNode, { kind: 'array' }>
type Load = typeof loadOriginal

function isObject(node: unknown): node is JsonObject {
  return node !== null && typeof node === 'object' && !Array.isArray(node)
}

function entries(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value) : []
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

function required(raw: JsonObject): string[] {
  return Array.isArray(raw.required) ? raw.required.filter((key): key is string => typeof key === 'string') : []
}

/** A schema keyword's value: an object schema, or true/false; `undefined` when absent or neither. */
function schemaKeyword(raw: JsonObject, key: string): unknown {
  const value = raw[key]
  return isObject(value) || typeof value === 'boolean' ? value : undefined
}

function hasDefault(raw: unknown): boolean {
  return isObject(raw) && 'default' in raw
}

function isOpenObject(raw: JsonObject): boolean {
  if (raw.additionalProperties === false || isObject(raw.additionalProperties)) return false
  if (entries(raw.patternProperties).length > 0) return false
  const unevaluated = raw.unevaluatedProperties
  return unevaluated === undefined || unevaluated === true
}

function partialObjectSchema(raw: JsonObject, key: string): unknown {
  for (const [pattern, schema] of entries(raw.patternProperties)) {
    try {
      if (new RegExp(pattern, 'u').test(key)) return schema
    } catch {
      // A pattern JavaScript cannot read covers nothing.
    }
  }
  if (isObject(raw.additionalProperties)) return raw.additionalProperties
  if (raw.additionalProperties === undefined && isObject(raw.unevaluatedProperties)) return raw.unevaluatedProperties
  return undefined
}

/** Confluent's sub-comparison against a partially open model: compatible or not, and its differences kept. */
function coveredBy(context: DiffContext, original: JsonSchemaNode | undefined, update: JsonSchemaNode | undefined): boolean {
  const sub = context.sub()
  sub.compare(original, update)
  context.addAll(sub.differences)
  return sub.isCompatible()
}

export function compareObjects(context: DiffContext, original: ObjectNode, update: ObjectNode): void {
  const before = original.raw
  const after = update.raw
  const beforeProperties = new Map(entries(before.properties))
  const afterProperties = new Map(entries(after.properties))
  context.within('required', () => {
    for (const key of beforeProperties.keys()) {
      if (!afterProperties.has(key)) continue
      const wasRequired = required(before).includes(key)
      const isRequired = required(after).includes(key)
      if (wasRequired && !isRequired) context.add('REQUIRED_ATTRIBUTE_REMOVED', key)
      else if (!wasRequired && isRequired)
        context.add(hasDefault(afterProperties.get(key)) ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED', key)
    }
  })
  context.within('properties', () => {
    for (const key of new Set([...beforeProperties.keys(), ...afterProperties.keys()])) {
      context.within(key, () => compareProperty(context, original, update, key, beforeProperties.get(key), afterProperties.get(key)))
    }
  })
  context.within('dependencies', () => compareDependencies(context, before, after))
  context.within('additionalProperties', () => compareAdditional(context, before, after, 'additionalProperties', 'ADDITIONAL_PROPERTIES'))
  compareUnevaluated(context, before, after, 'unevaluatedProperties', 'UNEVALUATED_PROPERTIES')
  compareLimits(context, [
    ['maxProperties', num(before.maxProperties), num(after.maxProperties), 'MAX_PROPERTIES'],
    ['minProperties', num(before.minProperties), num(after.minProperties), 'MIN_PROPERTIES'],
  ])
}

function compareProperty(
  context: DiffContext,
  original: ObjectNode,
  update: ObjectNode,
  key: string,
  before: unknown,
  after: unknown,
): void {
  const beforeNode = before === undefined ? undefined : loadOriginal(context, before, original.raw)
  const afterNode = after === undefined ? undefined : loadUpdate(context, after, update.raw)
  if (after === undefined) {
    if (isOpenObject(update.raw)) {
      context.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL')
      return
    }
    const partial = partialObjectSchema(update.raw, key)
    if (partial !== undefined) {
      const covered = coveredBy(context, beforeNode, loadUpdate(context, partial, update.raw))
      context.add(
        covered
          ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
          : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      )
      return
    }
    context.add(before === false ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL')
    return
  }
  const isRequired = required(update.raw).includes(key)
  if (before === undefined) {
    if (isOpenObject(original.raw)) {
      if (afterNode?.kind === 'true') {
        context.add('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL')
        return
      }
      if (!isRequired) {
        context.add('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL')
        return
      }
      context.add(
        hasDefault(after) ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
      )
      return
    }
    const partial = partialObjectSchema(original.raw, key)
    if (partial !== undefined) {
      const covered = coveredBy(context, loadOriginal(context, partial, original.raw), afterNode)
      context.add(
        covered
          ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
          : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      )
    }
    if (!isRequired) {
      context.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL')
      return
    }
    context.add(
      hasDefault(after)
        ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL'
        : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    )
    return
  }
  context.compare(beforeNode, afterNode)
}

function compareDependencies(context: DiffContext, before: JsonObject, after: JsonObject): void {
  const split = (raw: JsonObject): { arrays: Map<string, unknown[]>; schemas: Map<string, unknown> } => {
    const arrays = new Map<string, unknown[]>(entries(raw.dependentRequired) as Array<[string, unknown[]]>)
    const schemas = new Map<string, unknown>(entries(raw.dependentSchemas))
    for (const [key, value] of entries(raw.dependencies)) {
      if (Array.isArray(value)) arrays.set(key, value)
      else schemas.set(key, value)
    }
    return { arrays, schemas }
  }
  const was = split(before)
  const now = split(after)
  for (const key of new Set([...was.arrays.keys(), ...now.arrays.keys()])) {
    const old = was.arrays.get(key)
    const current = now.arrays.get(key)
    if (current === undefined) context.add('DEPENDENCY_ARRAY_REMOVED', key)
    else if (old === undefined) context.add('DEPENDENCY_ARRAY_ADDED', key)
    else if (!sameJson([...old].sort(), [...current].sort())) {
      if (old.every((item) => current.includes(item))) context.add('DEPENDENCY_ARRAY_EXTENDED', key)
      else if (current.every((item) => old.includes(item))) context.add('DEPENDENCY_ARRAY_NARROWED', key)
      else context.add('DEPENDENCY_ARRAY_CHANGED', key)
    }
  }
  for (const key of new Set([...was.schemas.keys(), ...now.schemas.keys()])) {
    const old = was.schemas.get(key)
    const current = now.schemas.get(key)
    if (current === undefined) context.add('DEPENDENCY_SCHEMA_REMOVED', key)
    else if (old === undefined) context.add('DEPENDENCY_SCHEMA_ADDED', key)
    else context.within(key, () => context.compare(loadOriginal(context, old, before), loadUpdate(context, current, after)))
  }
}

/** additionalProperties / additionalItems: closed, open, or open to a schema. */
function compareAdditional(
  context: DiffContext,
  before: JsonObject,
  after: JsonObject,
  key: string,
  prefix: 'ADDITIONAL_PROPERTIES' | 'ADDITIONAL_ITEMS',
  withinBefore: JsonObject = before,
  withinAfter: JsonObject = after,
): void {
  const permits = (raw: JsonObject): boolean => raw[key] !== false
  const schemaOf = (raw: JsonObject): unknown => (isObject(raw[key]) ? raw[key] : undefined)
  if (permits(before) !== permits(after)) {
    context.add(permits(after) ? `${prefix}_ADDED` : `${prefix}_REMOVED`)
    return
  }
  const old = schemaOf(before)
  const current = schemaOf(after)
  if (old === undefined && current !== undefined) {
    context.add(`${prefix}_NARROWED`)
    return
  }
  if (old !== undefined && current === undefined) {
    context.add(`${prefix}_EXTENDED`)
    return
  }
  context.compare(
    old === undefined ? undefined : loadOriginal(context, old, withinBefore),
    current === undefined ? undefined : loadUpdate(context, current, withinAfter),
  )
}

function compareUnevaluated(
  context: DiffContext,
  before: JsonObject,
  after: JsonObject,
  key: string,
  prefix: 'UNEVALUATED_PROPERTIES' | 'UNEVALUATED_ITEMS',
): void {
  const old = schemaKeyword(before, key)
  const current = schemaKeyword(after, key)
  if (old === undefined && current === undefined) return
  context.within(key, () => {
    const isEmpty = (value: unknown): boolean => value === true || (isObject(value) && Object.keys(value).length === 0)
    if (old === undefined) return context.add(current === false ? `${prefix}_REMOVED` : `${prefix}_NARROWED`)
    if (current === undefined) return context.add(old === false ? `${prefix}_ADDED` : `${prefix}_EXTENDED`)
    if (old === false && current !== false) return context.add(`${prefix}_ADDED`)
    if (old !== false && current === false) return context.add(`${prefix}_REMOVED`)
    if (isEmpty(old) && !isEmpty(current)) return context.add(`${prefix}_NARROWED`)
    if (!isEmpty(old) && isEmpty(current)) return context.add(`${prefix}_EXTENDED`)
    context.compare(loadOriginal(context, old, before), loadUpdate(context, current, after))
  })
}

/** Draft 2020-12 spells a tuple `prefixItems` and what follows it `items`; earlier drafts `items` (an array) and `additionalItems`. */
function arrayParts(raw: JsonObject): { all: unknown; tuple: unknown[]; additional: JsonObject } {
  if (Array.isArray(raw.prefixItems)) return { all: undefined, tuple: raw.prefixItems, additional: { additionalItems: raw.items } }
  if (Array.isArray(raw.items)) return { all: undefined, tuple: raw.items, additional: { additionalItems: raw.additionalItems } }
  return { all: raw.items, tuple: [], additional: {} }
}

function isOpenArray(additional: JsonObject, raw: JsonObject): boolean {
  if (additional.additionalItems === false || isObject(additional.additionalItems)) return false
  return raw.unevaluatedItems === undefined || raw.unevaluatedItems === true
}

function partialArraySchema(additional: JsonObject, raw: JsonObject): unknown {
  if (isObject(additional.additionalItems)) return additional.additionalItems
  if (additional.additionalItems === undefined && isObject(raw.unevaluatedItems)) return raw.unevaluatedItems
  return undefined
}

export function compareArrays(context: DiffContext, original: ArrayNode, update: ArrayNode): void {
  const before = original.raw
  const after = update.raw
  const was = arrayParts(before)
  const now = arrayParts(after)
  const load = (loader: Load, raw: unknown, within: JsonObject): JsonSchemaNode | undefined =>
    raw === undefined ? undefined : loader(context, raw, within)
  context.within('items', () => context.compare(load(loadOriginal, was.all, before), load(loadUpdate, now.all, after)))
  const length = Math.max(was.tuple.length, now.tuple.length)
  for (let index = 0; index < length; index++) {
    context.within(`items/${index}`, () => {
      const old = load(loadOriginal, was.tuple[index], before)
      const current = load(loadUpdate, now.tuple[index], after)
      if (index < was.tuple.length && index < now.tuple.length) return context.compare(old, current)
      if (index < was.tuple.length) {
        if (isOpenArray(now.additional, after)) return context.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL')
        const partial = partialArraySchema(now.additional, after)
        if (partial !== undefined) {
          const covered = coveredBy(context, old, load(loadUpdate, partial, after))
          return context.add(
            covered
              ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
              : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
          )
        }
        return context.add(
          was.tuple[index] === false ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
        )
      }
      if (isOpenArray(was.additional, before))
        return context.add(
          current?.kind === 'true' ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
        )
      const partial = partialArraySchema(was.additional, before)
      if (partial === undefined) return context.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL')
      const covered = coveredBy(context, load(loadOriginal, partial, before), current)
      return context.add(
        covered ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      )
    })
  }
  context.within('additionalItems', () =>
    compareAdditional(context, was.additional, now.additional, 'additionalItems', 'ADDITIONAL_ITEMS', before, after),
  )
  compareUnevaluated(context, before, after, 'unevaluatedItems', 'UNEVALUATED_ITEMS')
  compareLimits(context, [
    ['maxItems', num(before.maxItems), num(after.maxItems), 'MAX_ITEMS'],
    ['minItems', num(before.minItems), num(after.minItems), 'MIN_ITEMS'],
  ])
  if ((before.uniqueItems === true) !== (after.uniqueItems === true))
    context.add(before.uniqueItems === true ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', 'uniqueItems')
  compareLimits(context, [
    ['maxContains', num(before.maxContains), num(after.maxContains), 'MAX_CONTAINS'],
    ['minContains', num(before.minContains), num(after.minContains), 'MIN_CONTAINS'],
  ])
}
