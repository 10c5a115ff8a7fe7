/**
 * The registry seam over HTTP: any Confluent-compatible registry (Confluent's, Redpanda's, Apicurio's
 * ccompat API, or another worker's built-in one) at a URL. A converter whose `schema.registry.url`
 * names one uses this; an answer `{ error_code, message }` comes back as the RegistryError it names,
 * and a registry that cannot be reached as 50001 saying which URL. Redirects are not followed.
 */
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
import { RegistryError, registryErrorCodes, type RegistryErrorCode } from './registry-errors.ts'
import type { SchemaType } from './schema-format.ts'

export interface RegistryClientOptions {
  readonly url: string
  /** `user:password` for HTTP Basic (Confluent's `basic.auth.user.info`). */
  readonly basicAuth?: string | undefined
  readonly bearerToken?: string | undefined
  readonly timeoutMs?: number
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

interface VersionBody {
  subject: string
  version: number
  id: number
  schemaType?: SchemaType
  references?: StoredSchema['references']
  schema: string
  deleted?: boolean
}

export class RegistryClient implements SchemaRegistry {
  private readonly base: string
  private readonly headers: Record<string, string>
  private readonly timeoutMs: number

  constructor(options: RegistryClientOptions) {
    this.base = options.url.replace(/\/+$/, '')
    this.headers = { accept: CONTENT_TYPE, 'content-type': CONTENT_TYPE }
    if (options.basicAuth !== undefined) this.headers.authorization = `Basic ${Buffer.from(options.basicAuth, 'utf8').toString('base64')}`
    else if (options.bearerToken !== undefined) this.headers.authorization = `Bearer ${options.bearerToken}`
    this.timeoutMs = options.timeoutMs ?? 30_000
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: this.headers,
        // A redirect could lead past --connect-allowed-hosts, which was checked for this URL only.
        redirect: 'error',
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      throw new RegistryError(50001, `the schema registry at ${this.base} did not answer ${method} ${path}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = text
    }
    if (response.ok) return parsed as T
    const answer = parsed as { error_code?: unknown; message?: unknown } | undefined
    const code =
      typeof answer?.error_code === 'number' && answer.error_code in registryErrorCodes
        ? (answer.error_code as RegistryErrorCode)
        : response.status >= 500
          ? 50001
          : response.status === 404
            ? 404
            : 42207
    const message = typeof answer?.message === 'string' ? answer.message : `HTTP ${response.status} from ${this.base}${path}`
    throw new RegistryError(code, message)
  }

  private static subjectPath(subject: string): string {
    return encodeURIComponent(subject)
  }

  private static input(input: SchemaInput): Record<string, unknown> {
    return {
      schema: input.schema,
      ...(input.schemaType !== undefined && input.schemaType !== 'AVRO' && { schemaType: input.schemaType }),
      ...(input.references !== undefined && input.references.length > 0 && { references: input.references }),
    }
  }

  private static version(body: VersionBody): SubjectVersion {
    return {
      subject: body.subject,
      version: body.version,
      id: body.id,
      schemaType: body.schemaType ?? 'AVRO',
      schema: body.schema,
      references: body.references ?? [],
      deleted: body.deleted === true,
    }
  }

  async register(
    subject: string,
    input: SchemaInput,
    options: { normalize?: boolean; id?: number; version?: number } = {},
  ): Promise<{ id: number; version: number }> {
    const body = {
      ...RegistryClient.input(input),
      ...(options.id !== undefined && { id: options.id }),
      ...(options.version !== undefined && { version: options.version }),
    }
    const answer = await this.call<{ id: number; version?: number }>(
      'POST',
      `/subjects/${RegistryClient.subjectPath(subject)}/versions?normalize=${options.normalize === true}`,
      body,
    )
    // Registries before Confluent 8 answer with the id only: the version is looked up.
    const version = answer.version ?? (await this.lookup(subject, input, { normalize: options.normalize === true })).version
    return { id: answer.id, version }
  }

  async lookup(subject: string, input: SchemaInput, options: { normalize?: boolean; deleted?: boolean } = {}): Promise<SubjectVersion> {
    return RegistryClient.version(
      await this.call<VersionBody>(
        'POST',
        `/subjects/${RegistryClient.subjectPath(subject)}?normalize=${options.normalize === true}&deleted=${options.deleted === true}`,
        RegistryClient.input(input),
      ),
    )
  }

  async schemaById(id: number): Promise<StoredSchema> {
    const body = await this.call<{ schemaType?: SchemaType; schema: string; references?: StoredSchema['references'] }>(
      'GET',
      `/schemas/ids/${id}`,
    )
    return { schemaType: body.schemaType ?? 'AVRO', schema: body.schema, references: body.references ?? [] }
  }

  versionsOfId(id: number, options: { deleted?: boolean } = {}): Promise<Array<{ subject: string; version: number }>> {
    return this.call('GET', `/schemas/ids/${id}/versions?deleted=${options.deleted === true}`)
  }

  subjects(options: { deleted?: boolean; prefix?: string } = {}): Promise<string[]> {
    return this.call(
      'GET',
      `/subjects?deleted=${options.deleted === true}${options.prefix === undefined ? '' : `&subjectPrefix=${encodeURIComponent(options.prefix)}`}`,
    )
  }

  versions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    return this.call('GET', `/subjects/${RegistryClient.subjectPath(subject)}/versions?deleted=${options.deleted === true}`)
  }

  async version(subject: string, version: VersionSelector, options: { deleted?: boolean } = {}): Promise<SubjectVersion> {
    return RegistryClient.version(
      await this.call<VersionBody>(
        'GET',
        `/subjects/${RegistryClient.subjectPath(subject)}/versions/${version}?deleted=${options.deleted === true}`,
      ),
    )
  }

  referencedBy(subject: string, version: VersionSelector): Promise<number[]> {
    return this.call('GET', `/subjects/${RegistryClient.subjectPath(subject)}/versions/${version}/referencedby`)
  }

  deleteVersion(subject: string, version: VersionSelector, options: { permanent?: boolean } = {}): Promise<number> {
    return this.call(
      'DELETE',
      `/subjects/${RegistryClient.subjectPath(subject)}/versions/${version}?permanent=${options.permanent === true}`,
    )
  }

  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    return this.call('DELETE', `/subjects/${RegistryClient.subjectPath(subject)}?permanent=${options.permanent === true}`)
  }

  async compatibility(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<CompatibilityLevel> {
    const path =
      subject === undefined
        ? '/config'
        : `/config/${RegistryClient.subjectPath(subject)}?defaultToGlobal=${options.defaultToGlobal === true}`
    return (await this.call<{ compatibilityLevel: CompatibilityLevel }>('GET', path)).compatibilityLevel
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    await this.call('PUT', subject === undefined ? '/config' : `/config/${RegistryClient.subjectPath(subject)}`, { compatibility: level })
  }

  async deleteCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return (
      await this.call<{ compatibilityLevel: CompatibilityLevel }>(
        'DELETE',
        subject === undefined ? '/config' : `/config/${RegistryClient.subjectPath(subject)}`,
      )
    ).compatibilityLevel
  }

  async mode(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<RegistryMode> {
    const path =
      subject === undefined ? '/mode' : `/mode/${RegistryClient.subjectPath(subject)}?defaultToGlobal=${options.defaultToGlobal === true}`
    return (await this.call<{ mode: RegistryMode }>('GET', path)).mode
  }

  async setMode(mode: RegistryMode, subject?: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call(
      'PUT',
      `${subject === undefined ? '/mode' : `/mode/${RegistryClient.subjectPath(subject)}`}?force=${options.force === true}`,
      { mode },
    )
  }

  async deleteMode(subject: string): Promise<RegistryMode> {
    return (await this.call<{ mode: RegistryMode }>('DELETE', `/mode/${RegistryClient.subjectPath(subject)}`)).mode
  }

  async checkCompatibility(
    subject: string,
    version: VersionSelector | undefined,
    input: SchemaInput,
    options: { normalize?: boolean } = {},
  ): Promise<CompatibilityResult> {
    const path = `/compatibility/subjects/${RegistryClient.subjectPath(subject)}/versions${version === undefined ? '' : `/${version}`}?verbose=true&normalize=${options.normalize === true}`
    const answer = await this.call<{ is_compatible: boolean; messages?: string[] }>('POST', path, RegistryClient.input(input))
    return { isCompatible: answer.is_compatible, messages: answer.messages ?? [] }
  }
}
