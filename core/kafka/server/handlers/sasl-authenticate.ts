/**
 * SaslAuthenticate once no token is expected: the connection has authenticated, or the listener has
 * no SASL. The exchange itself runs in sasl-session.ts before requests reach the handlers; here, as in
 * Kafka, the answer is ILLEGAL_SASL_STATE and the connection stays open.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeSaslAuthenticateRequest,
  encodeSaslAuthenticateResponse,
  saslAuthenticateVersions,
  type SaslAuthenticateResponse,
} from '../../protocol/apis/sasl-authenticate.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'

export const saslAuthenticateHandler = defineHandler({
  apiKey: ApiKey.SaslAuthenticate,
  versions: saslAuthenticateVersions,
  decodeRequest: decodeSaslAuthenticateRequest,
  handle: async (): Promise<SaslAuthenticateResponse> => ({
    errorCode: KafkaError.ILLEGAL_SASL_STATE,
    errorMessage: 'no SASL authentication is expected on this connection: it has authenticated, or the listener has no SASL',
    authBytes: Buffer.alloc(0),
    sessionLifetimeMs: 0,
  }),
  encodeResponse: encodeSaslAuthenticateResponse,
})
