/**
 * Every Kafka API the listener serves, listed explicitly. ApiVersions advertises exactly these, so
 * an API missing here is one clients know not to call.
 */
import type { ApiVersionRange } from '../../protocol/apis/api-versions.ts'
import type { AnyApiHandler } from '../api-handler.ts'
import { apiVersionsHandler } from './api-versions.ts'
import { fetchHandler } from './fetch.ts'
import { listOffsetsHandler } from './list-offsets.ts'
import { metadataHandler } from './metadata.ts'
import { produceHandler } from './produce.ts'

const handlers: AnyApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  apiVersionsHandler(() => advertisedVersions),
]

export const handlerRegistry: ReadonlyMap<number, AnyApiHandler> = new Map(handlers.map((h) => [h.apiKey, h]))

export const advertisedVersions: readonly ApiVersionRange[] = handlers
  .map((h) => ({ apiKey: h.apiKey, minVersion: h.versions.min, maxVersion: h.versions.max }))
  .sort((a, b) => a.apiKey - b.apiKey)
