/** The client side of each API the listener serves, for kafka-raw-request.ts. */
import { ApiKey } from '../../core/kafka/protocol/api-keys.ts'
import { apiVersionsVersions, decodeApiVersionsResponse, encodeApiVersionsRequest } from '../../core/kafka/protocol/apis/api-versions.ts'
import { createPartitionsVersions, decodeCreatePartitionsResponse, encodeCreatePartitionsRequest } from '../../core/kafka/protocol/apis/create-partitions.ts'
import { createTopicsVersions, decodeCreateTopicsResponse, encodeCreateTopicsRequest } from '../../core/kafka/protocol/apis/create-topics.ts'
import { decodeDeleteTopicsResponse, deleteTopicsVersions, encodeDeleteTopicsRequest } from '../../core/kafka/protocol/apis/delete-topics.ts'
import { decodeDescribeConfigsResponse, describeConfigsVersions, encodeDescribeConfigsRequest } from '../../core/kafka/protocol/apis/describe-configs.ts'
import { decodeInitProducerIdResponse, encodeInitProducerIdRequest, initProducerIdVersions } from '../../core/kafka/protocol/apis/init-producer-id.ts'
import { decodeSaslAuthenticateResponse, encodeSaslAuthenticateRequest, saslAuthenticateVersions } from '../../core/kafka/protocol/apis/sasl-authenticate.ts'
import { decodeSaslHandshakeResponse, encodeSaslHandshakeRequest, saslHandshakeVersions } from '../../core/kafka/protocol/apis/sasl-handshake.ts'
import { decodeFetchResponse, encodeFetchRequest, fetchVersions } from '../../core/kafka/protocol/apis/fetch.ts'
import { decodeMetadataResponse, encodeMetadataRequest, metadataVersions } from '../../core/kafka/protocol/apis/metadata.ts'
import { decodeProduceResponse, encodeProduceRequest, produceVersions } from '../../core/kafka/protocol/apis/produce.ts'
import type { RawApi } from './kafka-raw-request.ts'

function api<Req, Res>(apiKey: number, versions: RawApi<Req, Res>['versions'], encodeRequest: RawApi<Req, Res>['encodeRequest'], decodeResponse: RawApi<Req, Res>['decodeResponse']): RawApi<Req, Res> {
  return { apiKey, versions, encodeRequest, decodeResponse }
}

export const rawApis = {
  produce: api(ApiKey.Produce, produceVersions, encodeProduceRequest, decodeProduceResponse),
  fetch: api(ApiKey.Fetch, fetchVersions, encodeFetchRequest, decodeFetchResponse),
  metadata: api(ApiKey.Metadata, metadataVersions, encodeMetadataRequest, decodeMetadataResponse),
  apiVersions: api(ApiKey.ApiVersions, apiVersionsVersions, encodeApiVersionsRequest, decodeApiVersionsResponse),
  saslHandshake: api(ApiKey.SaslHandshake, saslHandshakeVersions, encodeSaslHandshakeRequest, decodeSaslHandshakeResponse),
  saslAuthenticate: api(ApiKey.SaslAuthenticate, saslAuthenticateVersions, encodeSaslAuthenticateRequest, decodeSaslAuthenticateResponse),
  createTopics: api(ApiKey.CreateTopics, createTopicsVersions, encodeCreateTopicsRequest, decodeCreateTopicsResponse),
  deleteTopics: api(ApiKey.DeleteTopics, deleteTopicsVersions, encodeDeleteTopicsRequest, decodeDeleteTopicsResponse),
  initProducerId: api(ApiKey.InitProducerId, initProducerIdVersions, encodeInitProducerIdRequest, decodeInitProducerIdResponse),
  describeConfigs: api(ApiKey.DescribeConfigs, describeConfigsVersions, encodeDescribeConfigsRequest, decodeDescribeConfigsResponse),
  createPartitions: api(ApiKey.CreatePartitions, createPartitionsVersions, encodeCreatePartitionsRequest, decodeCreatePartitionsResponse),
}
