/**
 * The Kafka listener's limits as worker settings: one TRIBUTARY_KAFKA_* environment variable per
 * Kafka broker setting, defaults from listener-limits.ts. Each problem names its variable.
 */
import { z } from 'zod'
import { DEFAULT_LISTENER_LIMITS, type ListenerLimits } from './kafka/server/listener-limits.ts'

export const KAFKA_LIMIT_ENV: Readonly<Record<keyof ListenerLimits, string>> = {
  maxConnections: 'TRIBUTARY_KAFKA_MAX_CONNECTIONS',
  maxConnectionsPerIp: 'TRIBUTARY_KAFKA_MAX_CONNECTIONS_PER_IP',
  connectionsMaxIdleMs: 'TRIBUTARY_KAFKA_CONNECTIONS_MAX_IDLE_MS',
  preAuthTimeoutMs: 'TRIBUTARY_KAFKA_PRE_AUTH_TIMEOUT_MS',
  socketRequestMaxBytes: 'TRIBUTARY_KAFKA_SOCKET_REQUEST_MAX_BYTES',
  queuedMaxRequestBytes: 'TRIBUTARY_KAFKA_QUEUED_MAX_REQUEST_BYTES',
}

const positive = (key: keyof ListenerLimits) =>
  z.coerce
    .number({ message: `${KAFKA_LIMIT_ENV[key]} must be a number` })
    .int(`${KAFKA_LIMIT_ENV[key]} must be a whole number`)
    .min(1, `${KAFKA_LIMIT_ENV[key]} must be at least 1`)

export const kafkaLimitsSchema = z
  .object({
    maxConnections: positive('maxConnections'),
    maxConnectionsPerIp: positive('maxConnectionsPerIp'),
    connectionsMaxIdleMs: positive('connectionsMaxIdleMs'),
    preAuthTimeoutMs: positive('preAuthTimeoutMs'),
    socketRequestMaxBytes: positive('socketRequestMaxBytes').max(
      2 ** 31 - 1,
      `${KAFKA_LIMIT_ENV.socketRequestMaxBytes} must fit a Kafka frame size (at most 2147483647)`,
    ),
    queuedMaxRequestBytes: positive('queuedMaxRequestBytes'),
  })
  .refine((limits) => limits.queuedMaxRequestBytes >= limits.socketRequestMaxBytes, {
    message: `${KAFKA_LIMIT_ENV.queuedMaxRequestBytes} must be at least ${KAFKA_LIMIT_ENV.socketRequestMaxBytes}, or a request of the largest size could never be read`,
  })

/** The limits as the environment sets them, defaults for the rest (the schema checks them). */
export function kafkaLimitsFromEnv(env: NodeJS.ProcessEnv): Record<keyof ListenerLimits, string | number> {
  const limits = {} as Record<keyof ListenerLimits, string | number>
  for (const key of Object.keys(KAFKA_LIMIT_ENV) as Array<keyof ListenerLimits>)
    limits[key] = env[KAFKA_LIMIT_ENV[key]] ?? DEFAULT_LISTENER_LIMITS[key]
  return limits
}
