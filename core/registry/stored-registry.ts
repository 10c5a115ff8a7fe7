/**
 * The registry kept in the compacted topic `_schemas` (on the embedded log or a Kafka cluster alike),
 * with Confluent's rules: a schema registered again under a subject keeps its version; the same
 * content under any subject keeps its global id; a new version must pass the subject's compatibility
 * level against the versions it looks at; ids are never taken back while a record holds them. Every
 * change is one durable append before it is answered, so an id survives kill -9, and ids come from
 * the topic itself, so they are the same after a restart.
 *
 * Writes are serialised within the process and each starts from the topic's end; one process writes
 * a given `_schemas` topic (the others of a group send their writes to it).
 */
import type { Log } from '../log/log.ts'
import { CompactedStore } from '../log/compacted-store.ts'
import { RegistryError, RegistryErrors } from './registry-errors.ts'
import { checkRegistryRecord, keyText, SCHEMAS_TOPIC, type SchemaValue } from './registry-records.ts'
import { compatibilityProblems } from './compatibility-check.ts'
import { contentKey, RegistryState } from './registry-state.ts'
import { abbreviate, assertSubjectName, highestId, pick, sameReferences, schemaValueOf } from './subject-versions.ts'
import type {
  CompatibilityLevel,
  CompatibilityResult,
  RegistryMode,
  SchemaInput,
  SchemaRegistry,
  StoredSchema,
  SubjectVersion,
  VersionSelector,
} from './registry.ts'
import {
  InvalidSchemaError,
  type ParsedSchema,
  type ResolvedReference,
  type SchemaFormat,
  type SchemaReference,
  type SchemaType,
} from './schema-format.ts'

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD'
const DEFAULT_MODE: RegistryMode = 'READWRITE'
/** A schema text past this is refused: the registry holds every schema in memory. */
export const MAX_SCHEMA_BYTES = 1024 * 1024
/** References nest at most this deep (a cycle would otherwise never end). */
const MAX_REFERENCE_DEPTH = 32

export interface StoredRegistryOptions {
  readonly formats: ReadonlyMap<SchemaType, SchemaFormat>
  readonly topic?: string
}

export class StoredRegistry implements SchemaRegistry {
  private readonly store: CompactedStore<unknown>
  private readonly formats: ReadonlyMap<SchemaType, SchemaFormat>
  private state: RegistryState
  private stale = false
  private writes: Promise<unknown> = Promise.resolve()
  private catchingUp: Promise<void> | undefined

  private constructor(store: CompactedStore<unknown>, formats: ReadonlyMap<SchemaType, SchemaFormat>) {
    this.store = store
    this.formats = formats
    this.state = RegistryState.from(store.entries())
  }

  static async open(log: Log, options: StoredRegistryOptions): Promise<StoredRegistry> {
    const store = await CompactedStore.open<unknown>(log, options.topic ?? SCHEMAS_TOPIC, { check: checkRegistryRecord })
    return new StoredRegistry(store, options.formats)
  }

  /** The indexes as of the topic's end now (what other writers appended included). */
  private async current(): Promise<RegistryState> {
    this.catchingUp ??= this.store
      .catchUp()
      .then((changed) => {
        if (changed.length > 0) this.stale = true
      })
      .finally(() => {
        this.catchingUp = undefined
      })
    await this.catchingUp
    if (this.stale) {
      this.state = RegistryState.from(this.store.entries())
      this.stale = false
    }
    return this.state
  }

  /** Reads what other writers appended, so a read after a write made elsewhere sees it. */
  async refresh(): Promise<void> {
    await this.current()
  }

  /** Runs a change after every earlier one, on the indexes as of the topic's end. */
  private change<T>(work: (state: RegistryState) => Promise<T>): Promise<T> {
    const run = this.writes.then(async () => work(await this.current()))
    this.writes = run.catch(() => undefined) // the caller gets the failure from `run`; the chain only orders the next change
    return run
  }

  private async write(changes: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
    try {
      await this.store.write(changes as ReadonlyArray<readonly [string, unknown | undefined]>)
    } catch (error) {
      throw new RegistryError(50001, `the registry could not store the change in ${this.store.topic}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    this.stale = true
  }

  private format(type: SchemaType): SchemaFormat {
    const format = this.formats.get(type)
    if (format === undefined)
      throw new RegistryError(42201, `Invalid schema type ${type}: this registry knows ${[...this.formats.keys()].join(', ')}`)
    return format
  }

  /** The references' texts, theirs in turn; 42201 when one names no version. */
  private resolve(state: RegistryState, references: readonly SchemaReference[], depth = 0): ResolvedReference[] {
    if (depth > MAX_REFERENCE_DEPTH)
      throw new RegistryError(42201, `Invalid schema: references nest deeper than ${MAX_REFERENCE_DEPTH} levels`)
    return references.map((ref) => {
      const held = state.subjects.get(ref.subject)?.get(ref.version)
      if (held === undefined)
        throw new RegistryError(
          42201,
          `Invalid schema: the reference ${ref.name} names version ${ref.version} of subject '${ref.subject}', which does not exist`,
        )
      return {
        name: ref.name,
        schemaType: held.schemaType,
        schema: held.schema,
        references: this.resolve(state, held.references, depth + 1),
      }
    })
  }

  private parse(state: RegistryState, input: SchemaInput): { parsed: ParsedSchema; type: SchemaType; references: SchemaReference[] } {
    const type = input.schemaType ?? 'AVRO'
    if (typeof input.schema !== 'string') throw new RegistryError(42201, 'Invalid schema: the request holds no "schema" text')
    if (Buffer.byteLength(input.schema, 'utf8') > MAX_SCHEMA_BYTES)
      throw new RegistryError(42201, `Invalid schema: it is longer than ${MAX_SCHEMA_BYTES} bytes`)
    const references = (input.references ?? []).map((ref) => ({ name: ref.name, subject: ref.subject, version: ref.version }))
    const format = this.format(type)
    try {
      return { parsed: format.parse(input.schema, this.resolve(state, references)), type, references }
    } catch (error) {
      if (error instanceof InvalidSchemaError)
        throw new RegistryError(42201, `Invalid schema ${abbreviate(input.schema)}, details: ${error.message}`, { cause: error })
      throw error
    }
  }

  private parseStored(state: RegistryState, stored: StoredSchema): ParsedSchema {
    const format = this.format(stored.schemaType)
    return format.parse(stored.schema, this.resolve(state, stored.references))
  }

  private effectiveMode(state: RegistryState, subject: string): RegistryMode {
    return state.modes.get(subject) ?? state.modes.get(null) ?? DEFAULT_MODE
  }

  private effectiveLevel(state: RegistryState, subject: string): CompatibilityLevel {
    return state.configs.get(subject) ?? state.configs.get(null) ?? DEFAULT_COMPATIBILITY
  }

  private assertWritable(state: RegistryState, subject: string | undefined): void {
    const mode = subject === undefined ? (state.modes.get(null) ?? DEFAULT_MODE) : this.effectiveMode(state, subject)
    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw RegistryErrors.readOnly(subject)
  }

  register(
    subject: string,
    input: SchemaInput,
    options: { normalize?: boolean; id?: number; version?: number } = {},
  ): Promise<{ id: number; version: number }> {
    assertSubjectName(subject)
    return this.change(async (state) => {
      this.assertWritable(state, subject)
      const mode = this.effectiveMode(state, subject)
      if (options.id !== undefined && mode !== 'IMPORT')
        throw new RegistryError(42205, `Subject ${subject} is not in import mode: a schema can be given its id only in IMPORT mode`)
      const { parsed, type, references } = this.parse(state, input)
      const text = options.normalize === true ? parsed.normalized() : parsed.canonical
      const live = state.versionsOf(subject)
      const same = live.find(
        (held) =>
          held.schemaType === type &&
          sameReferences(held.references, references) &&
          (held.schema === text || held.schema === parsed.canonical),
      )
      if (same !== undefined && options.id === undefined) return { id: same.id, version: same.version }
      if (mode !== 'IMPORT') {
        const problems = compatibilityProblems(
          this.effectiveLevel(state, subject),
          parsed,
          live,
          undefined,
          (held) => this.parseStored(state, held),
          (type) => this.format(type),
        )
        if (problems.length > 0)
          throw new RegistryError(
            409,
            `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${problems.join(', ')}]`,
          )
      }
      const content = contentKey(type, text, references)
      let id = options.id ?? state.contentIds.get(content) ?? state.maxId + 1
      if (options.id !== undefined) {
        const holder = state.ids.get(options.id)
        if (holder !== undefined && contentKey(holder.schemaType, holder.schema, holder.references) !== content) {
          throw new RegistryError(42205, `Overwrite new schema with id ${options.id} is not permitted: the id holds another schema`)
        }
        id = options.id
      }
      const version = options.version ?? state.lastVersionNumber(subject) + 1
      if (options.version !== undefined && state.subjects.get(subject)?.has(options.version) === true) {
        throw new RegistryError(42202, `Version ${options.version} of subject '${subject}' exists already`)
      }
      const value: SchemaValue = {
        subject,
        version,
        id,
        ...(type !== 'AVRO' && { schemaType: type }),
        ...(references.length > 0 && { references }),
        schema: text,
        deleted: false,
      }
      await this.write([[keyText({ keytype: 'SCHEMA', subject, version }), value]])
      return { id, version }
    })
  }

  async lookup(subject: string, input: SchemaInput, options: { normalize?: boolean; deleted?: boolean } = {}): Promise<SubjectVersion> {
    const state = await this.current()
    const held = state.versionsOf(subject, options.deleted === true)
    if (held.length === 0) throw RegistryErrors.subjectNotFound(subject)
    const { parsed, type, references } = this.parse(state, input)
    const texts = new Set([parsed.canonical, input.schema])
    if (options.normalize === true) texts.add(parsed.normalized())
    const normalizedOf = (version: SubjectVersion) =>
      options.normalize === true ? this.parseStored(state, version).normalized() : undefined
    const found = [...held]
      .reverse()
      .find(
        (version) =>
          version.schemaType === type &&
          sameReferences(version.references, references) &&
          (texts.has(version.schema) || texts.has(normalizedOf(version) ?? '')),
      )
    if (found === undefined) throw RegistryErrors.schemaNotFound()
    return found
  }

  async schemaById(id: number): Promise<StoredSchema> {
    const cached = this.state.ids.get(id)
    if (cached !== undefined && !this.stale) return cached
    const stored = (await this.current()).ids.get(id)
    if (stored === undefined) throw RegistryErrors.schemaNotFound(`Schema ${id} not found`)
    return stored
  }

  async versionsOfId(id: number, options: { deleted?: boolean } = {}): Promise<Array<{ subject: string; version: number }>> {
    const state = await this.current()
    if (!state.ids.has(id)) throw RegistryErrors.schemaNotFound(`Schema ${id} not found`)
    const result: Array<{ subject: string; version: number }> = []
    for (const [subject] of state.subjects) {
      for (const held of state.versionsOf(subject, options.deleted === true))
        if (held.id === id) result.push({ subject, version: held.version })
    }
    return result.sort((a, b) => a.subject.localeCompare(b.subject) || a.version - b.version)
  }

  async subjects(options: { deleted?: boolean; prefix?: string } = {}): Promise<string[]> {
    const state = await this.current()
    return [...state.subjects.keys()]
      .filter((subject) => state.hasSubject(subject, options.deleted === true) && subject.startsWith(options.prefix ?? ''))
      .sort()
  }

  async versions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    const held = (await this.current()).versionsOf(subject, options.deleted === true)
    if (held.length === 0) throw RegistryErrors.subjectNotFound(subject)
    return held.map((version) => version.version)
  }

  async version(subject: string, selector: VersionSelector, options: { deleted?: boolean } = {}): Promise<SubjectVersion> {
    return pick((await this.current()).versionsOf(subject, options.deleted === true), subject, selector)
  }

  async referencedBy(subject: string, selector: VersionSelector): Promise<number[]> {
    const state = await this.current()
    const version = pick(state.versionsOf(subject), subject, selector)
    return state
      .referencing(subject, version.version)
      .map((held) => held.id)
      .sort((a, b) => a - b)
  }

  deleteVersion(subject: string, selector: VersionSelector, options: { permanent?: boolean } = {}): Promise<number> {
    return this.change(async (state) => {
      this.assertWritable(state, subject)
      const permanent = options.permanent === true
      if (!state.hasSubject(subject, true)) throw RegistryErrors.subjectNotFound(subject)
      // `latest` is the newest live version; a number may name a soft-deleted one.
      const version = pick(
        selector === 'latest' && !permanent ? state.versionsOf(subject) : state.versionsOf(subject, true),
        subject,
        selector,
      )
      const referencing = state.referencing(subject, version.version)
      if (referencing.length > 0)
        throw new RegistryError(
          42206,
          `One or more references exist to the schema {subject=${subject},version=${version.version}}: ${referencing.map((held) => `${held.subject} version ${held.version}`).join(', ')}`,
        )
      const key = keyText({ keytype: 'SCHEMA', subject, version: version.version })
      if (!permanent) {
        if (version.deleted)
          throw new RegistryError(
            40406,
            `Subject '${subject}' Version ${version.version} was soft deleted. Set permanent=true to delete permanently`,
          )
        await this.write([[key, schemaValueOf({ ...version, deleted: true })]])
      } else {
        if (!version.deleted)
          throw new RegistryError(
            40407,
            `Subject '${subject}' Version ${version.version} was not deleted first before being permanently deleted`,
          )
        await this.write([[key, undefined], highestId(state)])
      }
      return version.version
    })
  }

  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    return this.change(async (state) => {
      this.assertWritable(state, subject)
      const all = state.versionsOf(subject, true)
      if (all.length === 0) throw RegistryErrors.subjectNotFound(subject)
      const live = all.filter((version) => !version.deleted)
      for (const version of options.permanent === true ? all : live) {
        const referencing = state.referencing(subject, version.version).filter((held) => held.subject !== subject)
        if (referencing.length > 0)
          throw new RegistryError(42206, `One or more references exist to the schema {subject=${subject},version=${version.version}}`)
      }
      if (options.permanent === true) {
        if (live.length > 0) throw new RegistryError(40405, `Subject '${subject}' was not deleted first before being permanently deleted`)
        await this.write([
          ...all.map((version) => [keyText({ keytype: 'SCHEMA', subject, version: version.version }), undefined] as const),
          highestId(state),
        ])
        return all.map((version) => version.version)
      }
      if (live.length === 0)
        throw new RegistryError(40404, `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`)
      const last = live[live.length - 1] as SubjectVersion
      await this.write([
        [keyText({ keytype: 'DELETE_SUBJECT', subject }), { subject, version: last.version }],
        ...live.map(
          (version) =>
            [keyText({ keytype: 'SCHEMA', subject, version: version.version }), schemaValueOf({ ...version, deleted: true })] as const,
        ),
      ])
      return live.map((version) => version.version)
    })
  }

  async compatibility(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<CompatibilityLevel> {
    const state = await this.current()
    if (subject === undefined) return state.configs.get(null) ?? DEFAULT_COMPATIBILITY
    const own = state.configs.get(subject)
    if (own !== undefined) return own
    if (options.defaultToGlobal === true) return state.configs.get(null) ?? DEFAULT_COMPATIBILITY
    throw new RegistryError(40408, `Subject '${subject}' does not have subject-level compatibility configured`)
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    return this.change(async (state) => {
      this.assertWritable(state, subject)
      await this.write([[keyText({ keytype: 'CONFIG', subject: subject ?? null }), { compatibilityLevel: level }]])
    })
  }

  deleteCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return this.change(async (state) => {
      this.assertWritable(state, subject)
      const had = state.configs.get(subject ?? null)
      if (had === undefined && subject !== undefined) {
        if (!state.hasSubject(subject, true)) throw RegistryErrors.subjectNotFound(subject)
        throw new RegistryError(40408, `Subject '${subject}' does not have subject-level compatibility configured`)
      }
      await this.write([[keyText({ keytype: 'CONFIG', subject: subject ?? null }), undefined]])
      return had ?? DEFAULT_COMPATIBILITY
    })
  }

  async mode(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<RegistryMode> {
    const state = await this.current()
    if (subject === undefined) return state.modes.get(null) ?? DEFAULT_MODE
    const own = state.modes.get(subject)
    if (own !== undefined) return own
    if (options.defaultToGlobal === true) return state.modes.get(null) ?? DEFAULT_MODE
    throw new RegistryError(40409, `Subject '${subject}' does not have subject-level mode configured`)
  }

  setMode(mode: RegistryMode, subject?: string, options: { force?: boolean } = {}): Promise<void> {
    return this.change(async (state) => {
      if (mode === 'IMPORT' && options.force !== true) {
        const holding = subject === undefined ? state.subjects.size > 0 : state.hasSubject(subject, true)
        if (holding)
          throw new RegistryError(
            42205,
            `Cannot import since found existing subjects${subject === undefined ? '' : ` under ${subject}`}: set force=true to switch to IMPORT anyway`,
          )
      }
      await this.write([[keyText({ keytype: 'MODE', subject: subject ?? null }), { mode }]])
    })
  }

  deleteMode(subject: string): Promise<RegistryMode> {
    return this.change(async (state) => {
      const had = state.modes.get(subject)
      if (had === undefined) throw new RegistryError(40409, `Subject '${subject}' does not have subject-level mode configured`)
      await this.write([[keyText({ keytype: 'MODE', subject }), undefined]])
      return had
    })
  }

  async checkCompatibility(
    subject: string,
    selector: VersionSelector | undefined,
    input: SchemaInput,
    options: { normalize?: boolean } = {},
  ): Promise<CompatibilityResult> {
    const state = await this.current()
    const { parsed } = this.parse(state, input)
    const live = state.versionsOf(subject)
    if (selector !== undefined && live.length === 0) throw RegistryErrors.subjectNotFound(subject)
    const only = selector === undefined ? undefined : pick(live, subject, selector)
    const problems = compatibilityProblems(
      this.effectiveLevel(state, subject),
      parsed,
      live,
      only,
      (held) => this.parseStored(state, held),
      (type) => this.format(type),
    )
    void options
    return { isCompatible: problems.length === 0, messages: problems }
  }
}
