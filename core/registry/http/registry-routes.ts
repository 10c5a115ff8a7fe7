/**
 * Confluent Schema Registry's REST API over the registry seam, path for path and shape for shape, so
 * its clients (Confluent's serializers, @kafkajs/confluent-schema-registry, kcat) work unchanged:
 * answers are `application/vnd.schemaregistry.v1+json`, `schemaType` and `references` are left out
 * when they say nothing (AVRO, none), and failures are `{ error_code, message }` with Confluent's codes.
 */
import { Router, type Request, type Response } from 'express'
import {
  COMPATIBILITY_LEVELS,
  REGISTRY_MODES,
  type CompatibilityLevel,
  type RegistryMode,
  type SchemaInput,
  type SchemaRegistry,
  type StoredSchema,
  type SubjectVersion,
  type VersionSelector,
} from '../registry.ts'
import { RegistryError, RegistryErrors } from '../registry-errors.ts'
import { SCHEMA_TYPES, type SchemaType } from '../schema-format.ts'

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

function send(res: Response, body: unknown, status = 200): void {
  res.status(status).type(REGISTRY_CONTENT_TYPE).send(JSON.stringify(body))
}

/** A schema's text as its own body (`…/schema` routes): the text itself, unquoted. */
function sendText(res: Response, text: string): void {
  res.status(200).type(REGISTRY_CONTENT_TYPE).send(text)
}

function flag(req: Request, name: string): boolean {
  return String(req.query[name] ?? '').toLowerCase() === 'true'
}

function versionOf(text: string): VersionSelector {
  if (text === 'latest' || text === '-1') return 'latest'
  const version = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(version) || version < 1 || version > 2 ** 31 - 1)
    throw RegistryErrors.invalidVersion(text)
  return version
}

function idOf(text: string): number {
  const id = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) throw new RegistryError(40403, `Schema ${text} not found`)
  return id
}

/** The schema a request body holds, its shape checked (42201/42207 otherwise). */
function schemaInput(body: unknown): SchemaInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new RegistryError(
      42207,
      'The request body must be a JSON object: { "schema": "<schema text>", "schemaType"?: "AVRO" | "JSON" | "PROTOBUF", "references"?: [...] }',
    )
  const { schema, schemaType, references } = body as Record<string, unknown>
  if (typeof schema !== 'string') throw new RegistryError(42201, 'Invalid schema: "schema" must be the schema\'s text as a JSON string')
  if (schemaType !== undefined && schemaType !== null && !SCHEMA_TYPES.includes(schemaType as SchemaType))
    throw new RegistryError(42201, `Invalid schema type ${JSON.stringify(schemaType)}: one of ${SCHEMA_TYPES.join(', ')}`)
  if (references !== undefined && references !== null) {
    const valid =
      Array.isArray(references) &&
      references.every(
        (ref) =>
          ref !== null &&
          typeof ref === 'object' &&
          typeof ref.name === 'string' &&
          typeof ref.subject === 'string' &&
          Number.isInteger(ref.version),
      )
    if (!valid) throw new RegistryError(42201, 'Invalid schema: "references" must be a list of { "name", "subject", "version" }')
  }
  return {
    schema,
    ...(typeof schemaType === 'string' && { schemaType: schemaType as SchemaType }),
    ...(Array.isArray(references) && { references }),
  }
}

function storedBody(stored: StoredSchema): Record<string, unknown> {
  return {
    ...(stored.schemaType !== 'AVRO' && { schemaType: stored.schemaType }),
    ...(stored.references.length > 0 && { references: stored.references }),
    schema: stored.schema,
  }
}

function versionBody(held: SubjectVersion): Record<string, unknown> {
  return { subject: held.subject, version: held.version, id: held.id, ...storedBody(held), ...(held.deleted && { deleted: true }) }
}

function levelOf(body: unknown): CompatibilityLevel {
  const level = (body as { compatibility?: unknown } | null)?.compatibility
  if (typeof level !== 'string' || !COMPATIBILITY_LEVELS.includes(level.toUpperCase() as CompatibilityLevel)) {
    throw new RegistryError(
      42203,
      `Invalid compatibility level ${JSON.stringify(level ?? null)}. Valid values are ${COMPATIBILITY_LEVELS.join(', ')}`,
    )
  }
  return level.toUpperCase() as CompatibilityLevel
}

function modeOf(body: unknown): RegistryMode {
  const mode = (body as { mode?: unknown } | null)?.mode
  if (typeof mode !== 'string' || !REGISTRY_MODES.includes(mode.toUpperCase() as RegistryMode)) {
    throw new RegistryError(42204, `Invalid mode ${JSON.stringify(mode ?? null)}. Valid values are ${REGISTRY_MODES.join(', ')}`)
  }
  return mode.toUpperCase() as RegistryMode
}

export function registryRoutes(registry: SchemaRegistry): Router {
  const router = Router()

  router.get('/', (_req, res) => send(res, {}))
  router.get('/schemas/types', (_req, res) => send(res, ['JSON', 'PROTOBUF', 'AVRO']))

  router.get('/schemas/ids/:id', async (req, res) => send(res, storedBody(await registry.schemaById(idOf(req.params.id)))))
  router.get('/schemas/ids/:id/schema', async (req, res) => sendText(res, (await registry.schemaById(idOf(req.params.id))).schema))
  router.get('/schemas/ids/:id/subjects', async (req, res) => {
    const held = await registry.versionsOfId(idOf(req.params.id), { deleted: flag(req, 'deleted') })
    send(res, [...new Set(held.map((version) => version.subject))])
  })
  router.get('/schemas/ids/:id/versions', async (req, res) =>
    send(res, await registry.versionsOfId(idOf(req.params.id), { deleted: flag(req, 'deleted') })),
  )

  router.get('/subjects', async (req, res) => {
    const prefix = typeof req.query.subjectPrefix === 'string' ? req.query.subjectPrefix : undefined
    send(res, await registry.subjects({ deleted: flag(req, 'deleted'), ...(prefix !== undefined && { prefix }) }))
  })
  router.get('/subjects/:subject/versions', async (req, res) =>
    send(res, await registry.versions(req.params.subject, { deleted: flag(req, 'deleted') })),
  )
  router.post('/subjects/:subject/versions', async (req, res) => {
    const body = req.body as { id?: unknown; version?: unknown } | undefined
    const id = typeof body?.id === 'number' && body.id > 0 ? body.id : undefined
    const version = typeof body?.version === 'number' && body.version > 0 ? body.version : undefined
    const registered = await registry.register(req.params.subject, schemaInput(req.body), {
      normalize: flag(req, 'normalize'),
      ...(id !== undefined && { id }),
      ...(version !== undefined && { version }),
    })
    const held = await registry.version(req.params.subject, registered.version, { deleted: true })
    send(res, { id: registered.id, version: registered.version, ...storedBody(held) })
  })
  router.get('/subjects/:subject/versions/:version', async (req, res) =>
    send(res, versionBody(await registry.version(req.params.subject, versionOf(req.params.version), { deleted: flag(req, 'deleted') }))),
  )
  router.get('/subjects/:subject/versions/:version/schema', async (req, res) =>
    sendText(res, (await registry.version(req.params.subject, versionOf(req.params.version), { deleted: flag(req, 'deleted') })).schema),
  )
  router.get('/subjects/:subject/versions/:version/referencedby', async (req, res) =>
    send(res, await registry.referencedBy(req.params.subject, versionOf(req.params.version))),
  )
  router.delete('/subjects/:subject/versions/:version', async (req, res) =>
    send(res, await registry.deleteVersion(req.params.subject, versionOf(req.params.version), { permanent: flag(req, 'permanent') })),
  )
  router.post('/subjects/:subject', async (req, res) =>
    send(
      res,
      versionBody(
        await registry.lookup(req.params.subject, schemaInput(req.body), {
          normalize: flag(req, 'normalize'),
          deleted: flag(req, 'deleted'),
        }),
      ),
    ),
  )
  router.delete('/subjects/:subject', async (req, res) =>
    send(res, await registry.deleteSubject(req.params.subject, { permanent: flag(req, 'permanent') })),
  )

  router.get('/config', async (_req, res) => send(res, { compatibilityLevel: await registry.compatibility() }))
  router.put('/config', async (req, res) => {
    const level = levelOf(req.body)
    await registry.setCompatibility(level)
    send(res, { compatibility: level })
  })
  router.delete('/config', async (_req, res) => send(res, { compatibilityLevel: await registry.deleteCompatibility() }))
  router.get('/config/:subject', async (req, res) =>
    send(res, { compatibilityLevel: await registry.compatibility(req.params.subject, { defaultToGlobal: flag(req, 'defaultToGlobal') }) }),
  )
  router.put('/config/:subject', async (req, res) => {
    const level = levelOf(req.body)
    await registry.setCompatibility(level, req.params.subject)
    send(res, { compatibility: level })
  })
  router.delete('/config/:subject', async (req, res) =>
    send(res, { compatibilityLevel: await registry.deleteCompatibility(req.params.subject) }),
  )

  router.get('/mode', async (_req, res) => send(res, { mode: await registry.mode() }))
  router.put('/mode', async (req, res) => {
    const mode = modeOf(req.body)
    await registry.setMode(mode, undefined, { force: flag(req, 'force') })
    send(res, { mode })
  })
  router.get('/mode/:subject', async (req, res) =>
    send(res, { mode: await registry.mode(req.params.subject, { defaultToGlobal: flag(req, 'defaultToGlobal') }) }),
  )
  router.put('/mode/:subject', async (req, res) => {
    const mode = modeOf(req.body)
    await registry.setMode(mode, req.params.subject, { force: flag(req, 'force') })
    send(res, { mode })
  })
  router.delete('/mode/:subject', async (req, res) => send(res, { mode: await registry.deleteMode(req.params.subject) }))

  const compatibility = async (req: Request, res: Response, version: VersionSelector | undefined) => {
    const result = await registry.checkCompatibility(req.params.subject as string, version, schemaInput(req.body), {
      normalize: flag(req, 'normalize'),
    })
    send(res, { is_compatible: result.isCompatible, ...(flag(req, 'verbose') && { messages: result.messages }) })
  }
  router.post('/compatibility/subjects/:subject/versions', (req, res) => compatibility(req, res, undefined))
  router.post('/compatibility/subjects/:subject/versions/:version', (req, res) => compatibility(req, res, versionOf(req.params.version)))

  return router
}
