/**
 * No open worker on a network: a REST API bound beyond loopback without a bearer token, or a Kafka
 * listener bound beyond loopback without SASL users, lets anyone who can reach the machine create
 * connectors (which read and write files) or read every topic. Such a worker refuses to start unless
 * the operator says `--insecure-no-auth` (TRIBUTARY_INSECURE_NO_AUTH=true), and then says so loudly
 * in its log at every start. Loopback stays as open as before: the two-command start is unchanged.
 */
import { isLoopbackName } from './api/worker-names.ts'
import { TributaryError } from './errors.ts'
import type { Logger } from './logger.ts'
import type { WorkerSettings } from './worker-settings.ts'

type ExposureSettings = Pick<
  WorkerSettings,
  | 'restHost'
  | 'restAuthToken'
  | 'kafkaHost'
  | 'kafkaPort'
  | 'kafkaSaslPlainUsers'
  | 'kafkaUsersFile'
  | 'tlsClientCa'
  | 'logBrokers'
  | 'insecureNoAuth'
>

/** What is open to the network, one phrase each; empty when nothing is. */
export function openDoors(settings: ExposureSettings): string[] {
  const doors: string[] = []
  // A client certificate signed by --tls-client-ca authenticates on both ports.
  const clientCertificates = settings.tlsClientCa !== undefined
  if (!isLoopbackName(settings.restHost) && settings.restAuthToken === undefined && !clientCertificates) {
    doors.push(`the REST API on ${settings.restHost} has no token (set --rest-auth-token or TRIBUTARY_REST_AUTH_TOKEN, or --tls-client-ca)`)
  }
  // With --log-brokers the listener does not run: clients talk to the cluster itself.
  const kafkaListens = settings.kafkaPort !== 0 && settings.logBrokers === undefined
  const kafkaUsers = settings.kafkaUsersFile !== undefined || settings.kafkaSaslPlainUsers !== undefined
  if (kafkaListens && !isLoopbackName(settings.kafkaHost) && !kafkaUsers && !clientCertificates) {
    doors.push(
      `the Kafka listener on ${settings.kafkaHost} has no SASL users (set --kafka-users-file or TRIBUTARY_KAFKA_SASL_PLAIN_USERS, or --tls-client-ca)`,
    )
  }
  return doors
}

/** Throws when a door is open and --insecure-no-auth was not given; warns when it was. */
export function checkNetworkExposure(settings: ExposureSettings, logger: Logger): void {
  const doors = openDoors(settings)
  if (doors.length === 0) return
  if (!settings.insecureNoAuth) {
    throw new TributaryError(
      'TRB_CONFIG_INVALID',
      `refusing to start open to the network: ${doors.join('; ')}. To run without authentication anyway (a trusted network only), pass --insecure-no-auth or set TRIBUTARY_INSECURE_NO_AUTH=true`,
      {
        details: { doors },
      },
    )
  }
  logger.warn({ doors }, `INSECURE: --insecure-no-auth is set and anyone who can reach this machine can use it: ${doors.join('; ')}`)
}
