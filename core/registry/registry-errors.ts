/**
 * The Schema Registry's failures, with Confluent's error codes: its clients branch on `error_code`
 * (40401 "subject not found" makes a serializer register, 409 makes it give up), so these are the
 * registry's whole error vocabulary, each with the HTTP status Confluent answers with. The registry's
 * REST routes send `{ error_code, message }`; its HTTP client turns such a body back into this error.
 */

export const registryErrorCodes = {
  40401: { http: 404, summary: 'Subject not found' },
  40402: { http: 404, summary: 'Version not found' },
  40403: { http: 404, summary: 'Schema not found' },
  40404: { http: 404, summary: 'Subject was soft deleted; set permanent=true to delete it for good' },
  40405: { http: 404, summary: 'Subject was not deleted first; soft delete it before a permanent delete' },
  40406: { http: 404, summary: 'Version was soft deleted; set permanent=true to delete it for good' },
  40407: { http: 404, summary: 'Version was not deleted first; soft delete it before a permanent delete' },
  40408: { http: 404, summary: 'Subject has no compatibility level of its own' },
  40409: { http: 404, summary: 'Subject has no mode of its own' },
  404: { http: 404, summary: 'No such route' },
  409: { http: 409, summary: "The schema is incompatible with an earlier one under the subject's compatibility level" },
  415: { http: 415, summary: 'The request body is not JSON' },
  401: { http: 401, summary: 'Missing or wrong credentials' },
  42201: { http: 422, summary: 'Invalid schema' },
  42202: { http: 422, summary: 'Invalid version' },
  42203: { http: 422, summary: 'Invalid compatibility level' },
  42204: { http: 422, summary: 'Invalid mode' },
  42205: { http: 422, summary: 'Operation not permitted (the registry or subject is read-only)' },
  42206: { http: 422, summary: 'Another schema references this one' },
  42207: { http: 422, summary: 'Invalid request' },
  50001: { http: 500, summary: 'Error in the backend store' },
  50002: { http: 500, summary: 'Operation timed out' },
  50003: { http: 500, summary: "Error while forwarding the request to the registry's writer" },
} as const

export type RegistryErrorCode = keyof typeof registryErrorCodes

export class RegistryError extends Error {
  override readonly name = 'RegistryError'
  readonly errorCode: RegistryErrorCode
  readonly httpStatus: number

  constructor(errorCode: RegistryErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.errorCode = errorCode
    this.httpStatus = registryErrorCodes[errorCode].http
  }
}

export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError
}

export const RegistryErrors = {
  subjectNotFound: (subject: string) => new RegistryError(40401, `Subject '${subject}' not found.`),
  versionNotFound: (subject: string, version: number | string) =>
    new RegistryError(40402, `Version ${version} not found for subject '${subject}'.`),
  schemaNotFound: (what = 'Schema not found') => new RegistryError(40403, what),
  invalidVersion: (version: string) =>
    new RegistryError(
      42202,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  readOnly: (subject?: string) =>
    new RegistryError(
      42205,
      subject === undefined
        ? 'The registry is in READONLY mode: set it to READWRITE with PUT /mode to write'
        : `Subject ${subject} is in read-only mode: set it to READWRITE with PUT /mode/${subject} to write`,
    ),
}
