/**
 * What comparing two JSON schemas carries along (json-schema-diff.ts): the differences found so far
 * at their JSON pointers, the two documents' loaders, the pairs already compared, and the helpers
 * every part of the comparison uses. The object and array content models (json-schema-diff-content.ts)
 * compare their subschemas through the context, so they and the diff that calls them need not import
 * each other.
 */
import { isCompatibleChange, type DifferenceType } from './json-schema-differences.ts'
import { preloaded, type JsonSchemaLoader, type JsonSchemaNode } from './json-schema-model.ts'

export interface Difference {
  readonly type: DifferenceType
  readonly path: string
}

/** A pair being compared: met again meanwhile (a recursive `$ref`), it counts as compatible. */
export const IN_PROGRESS = Symbol('in progress')

/** How two subschemas are compared: json-schema-diff.ts's compareSchemas, which starts every comparison. */
export type CompareSchemas = (context: DiffContext, original: JsonSchemaNode | undefined, update: JsonSchemaNode | undefined) => void

export interface DiffShared {
  readonly compare: CompareSchemas
  readonly original: JsonSchemaLoader
  readonly update: JsonSchemaLoader
  readonly memo: Map<JsonSchemaNode, Map<JsonSchemaNode, readonly Difference[] | typeof IN_PROGRESS>>
}

export class DiffContext {
  readonly differences: Difference[] = []
  readonly path: string[] = []

  readonly shared: DiffShared

  constructor(shared: DiffShared) {
    this.shared = shared
  }

  sub(): DiffContext {
    const context = new DiffContext(this.shared)
    context.path.push(...this.path)
    return context
  }

  add(type: DifferenceType, attribute?: string): void {
    this.differences.push({ type, path: pathText(attribute === undefined ? this.path : [...this.path, attribute]) })
  }

  addAll(differences: readonly Difference[]): void {
    this.differences.push(...differences)
  }

  /** Compares two subschemas, their differences at this context's path. */
  compare(original: JsonSchemaNode | undefined, update: JsonSchemaNode | undefined): void {
    this.shared.compare(this, original, update)
  }

  within(token: string, compare: () => void): void {
    this.path.push(token)
    compare()
    this.path.pop()
  }

  isCompatible(): boolean {
    return this.differences.every((difference) => isCompatibleChange(difference.type))
  }
}

export function pathText(path: readonly string[]): string {
  return `#/${path.join('/')}`
}

/** Subschemas of a node, loaded from the document they sit in. */
export function loadOriginal(context: DiffContext, raw: unknown, within: unknown): JsonSchemaNode | undefined {
  return preloaded(raw) ?? context.shared.original.load(raw, within)
}

export function loadUpdate(context: DiffContext, raw: unknown, within: unknown): JsonSchemaNode | undefined {
  return preloaded(raw) ?? context.shared.update.load(raw, within)
}

export function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right)
}

type Limit = [attribute: string, original: number | undefined, update: number | undefined, prefix: string]

/** One `*_ADDED`, `*_REMOVED`, `*_INCREASED` or `*_DECREASED` difference per changed limit. */
export function compareLimits(context: DiffContext, limits: readonly Limit[]): void {
  for (const [attribute, original, update, prefix] of limits) {
    if (original === update) continue
    const change = original === undefined ? 'ADDED' : update === undefined ? 'REMOVED' : original < update ? 'INCREASED' : 'DECREASED'
    context.add(`${prefix}_${change}` as DifferenceType, attribute)
  }
}
