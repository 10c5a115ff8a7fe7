/**
 * The read-only part of Apicurio Registry's v2 REST API that Apicurio's Kafka deserializers call,
 * mounted under `/apis/registry/v2` on the registry port. Apicurio's serdes (the JVM's usual
 * alternative to Confluent's, which Maven Central does not carry) read Confluent's wire format with
 * `apicurio.registry.as-confluent=true`, but fetch the schema of the id in a record through their own
 * API, never Confluent's: `GET ids/globalIds/{id}` (or `ids/contentIds/{id}` under
 * `apicurio.registry.use-id=contentId`) for the schema's text, then `…/references`, and for each
 * reference its version's text and references under `groups/default/artifacts/{subject}`. This
 * registry has one id space, so a global id and a content id both name the Confluent id; a subject is
 * an artifact of the `default` group. Failures are Apicurio's `{ error_code, message, name }`.
 */
import { Router, type ErrorRequestHandler, type Response } from 'express'
import type { SchemaRegistry, StoredSchema, VersionSelector } from '../registry.ts'
import { isRegistryError, RegistryError } from '../registry-errors.ts'

/** Apicurio names artifacts without a group this way; its clients send it for references. */
const DEFAULT_GROUP = 'default'

/** Apicurio answers an artifact's content with the content type of its kind. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  AVRO: 'application/json',
  JSON: 'application/json',
  PROTOBUF: 'application/x-protobuf',
}

function idOf(text: string): number {
  const id = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) throw new RegistryError(40403, `No content with id '${text}' was found.`)
  return id
}

function versionOf(text: string): VersionSelector {
  if (text === 'latest') return 'latest'
  if (!/^\d+$/.test(text)) throw new RegistryError(40402, `No version '${text}' found.`)
  return Number(text)
}

function sendContent(res: Response, stored: StoredSchema): void {
  res
    .status(200)
    .type(CONTENT_TYPES[stored.schemaType] ?? 'application/json')
    .send(stored.schema)
}

/** Confluent's references (name, subject, version) as Apicurio's (name, groupId, artifactId, version). */
function sendReferences(res: Response, stored: StoredSchema): void {
  res
    .status(200)
    .json(
      stored.references.map((ref) => ({ groupId: DEFAULT_GROUP, artifactId: ref.subject, version: String(ref.version), name: ref.name })),
    )
}

/** A registry error as Apicurio's error body; its 404s name the exception its clients map. */
const apicurioErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (!isRegistryError(error)) return next(error)
  const name =
    error.httpStatus === 404 ? (error.errorCode === 40403 ? 'ContentNotFoundException' : 'ArtifactNotFoundException') : 'RegistryException'
  res.status(error.httpStatus).json({ error_code: error.httpStatus, message: error.message, name })
}

export function apicurioRoutes(registry: SchemaRegistry): Router {
  const router = Router()
  for (const kind of ['globalIds', 'contentIds']) {
    router.get(`/ids/${kind}/:id`, async (req, res) => sendContent(res, await registry.schemaById(idOf(req.params.id))))
    router.get(`/ids/${kind}/:id/references`, async (req, res) => sendReferences(res, await registry.schemaById(idOf(req.params.id))))
  }
  const versionOfArtifact = (group: string, subject: string, version: string) => {
    if (group !== DEFAULT_GROUP) throw new RegistryError(40401, `No artifact with ID '${subject}' in group '${group}' was found.`)
    return registry.version(subject, versionOf(version))
  }
  router.get('/groups/:group/artifacts/:artifact/versions/:version', async (req, res) =>
    sendContent(res, await versionOfArtifact(req.params.group, req.params.artifact, req.params.version)),
  )
  router.get('/groups/:group/artifacts/:artifact/versions/:version/references', async (req, res) =>
    sendReferences(res, await versionOfArtifact(req.params.group, req.params.artifact, req.params.version)),
  )
  router.use(apicurioErrors)
  return router
}
