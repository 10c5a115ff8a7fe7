/** ApiVersions: the APIs and versions this listener serves, straight from the handler registry. */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  apiVersionsVersions,
  decodeApiVersionsRequest,
  encodeApiVersionsResponse,
  type ApiVersionRange,
  type ApiVersionsResponse,
} from '../../protocol/apis/api-versions.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'

export function apiVersionsHandler(advertised: () => readonly ApiVersionRange[]) {
  return defineHandler({
    apiKey: ApiKey.ApiVersions,
    versions: apiVersionsVersions,
    decodeRequest: decodeApiVersionsRequest,
    handle: async (): Promise<ApiVersionsResponse> => ({ errorCode: KafkaError.NONE, apiKeys: advertised(), throttleTimeMs: 0 }),
    encodeResponse: encodeApiVersionsResponse,
  })
}
