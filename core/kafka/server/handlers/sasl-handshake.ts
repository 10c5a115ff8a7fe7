/**
 * SaslHandshake once no handshake is expected: the connection has authenticated, or the listener
 * has no SASL. The exchange itself runs in sasl-session.ts before requests reach the handlers; here,
 * as in Kafka, the answer is ILLEGAL_SASL_STATE and the connection stays open.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeSaslHandshakeRequest,
  encodeSaslHandshakeResponse,
  saslHandshakeVersions,
  type SaslHandshakeResponse,
} from '../../protocol/apis/sasl-handshake.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'

export const saslHandshakeHandler = defineHandler({
  apiKey: ApiKey.SaslHandshake,
  versions: saslHandshakeVersions,
  decodeRequest: decodeSaslHandshakeRequest,
  handle: async (): Promise<SaslHandshakeResponse> => ({ errorCode: KafkaError.ILLEGAL_SASL_STATE, mechanisms: [] }),
  encodeResponse: encodeSaslHandshakeResponse,
})
