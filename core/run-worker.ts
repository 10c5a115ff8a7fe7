/**
 * `tributary run`: opens the embedded log, starts the connector worker (which rebuilds every stored
 * connector from the internal topics), applies the pipeline files, and serves the REST API until
 * SIGINT or SIGTERM; then stops the tasks (each flushes and commits) and closes the log, so every
 * acknowledged record is on disk before the process exits.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApi, startApi } from './api/server.ts'
import { TributaryError } from './errors.ts'
import { KafkaLog } from './kafka/kafka-log.ts'
import { KafkaListener } from './kafka/server/listener.ts'
import { EmbeddedLog } from './log/embedded-log.ts'
import { createLogger, type Logger } from './logger.ts'
import { PipelineManager } from './pipeline-manager.ts'
import { extraPlugins, recordProcessing } from './runtime/processing-factory.ts'
import { Worker } from './runtime/worker.ts'
import { defaultGroupSettings } from './runtime/worker-group.ts'
import type { WorkerSettings } from './worker-settings.ts'
import { builtinPlugins } from '../connectors/index.ts'

export interface RunningWorker {
  readonly restUrl: string
  /** host:port of the Kafka listener; undefined when it is off. */
  readonly kafkaAddress: string | undefined
  readonly worker: Worker
  readonly pipelines: PipelineManager
  stop(): Promise<void>
}

export async function startWorker(settings: WorkerSettings, version: string): Promise<RunningWorker> {
  const logger = createLogger('worker')
  const configDir = path.resolve(settings.configDir)
  if (!fs.existsSync(configDir)) {
    throw new TributaryError('TRB_CONFIG_INVALID', `config directory ${configDir} does not exist`, { details: { configDir } })
  }
  const log = await openLog(settings, logger)
  let worker: Worker
  let pipelines: PipelineManager
  try {
    worker = await Worker.start({
      log,
      plugins: builtinPlugins,
      workerId: `${settings.restHost}:${settings.restPort}`,
      buildProcessing: recordProcessing.build,
      validateProcessing: recordProcessing.validate,
      ...(settings.groupId !== undefined && { group: defaultGroupSettings(settings.groupId, settings.groupSessionTimeoutMs) }),
    })
    pipelines = new PipelineManager(worker, configDir, { shared: settings.groupId !== undefined })
    // In a group the files are applied once this worker has joined, so the group decides who runs them.
    if (settings.groupId === undefined) await pipelines.apply()
  } catch (error) {
    await log.close()
    throw error
  }
  let ready = false
  const api = await startApi(
    createApi({
      log,
      worker,
      health: { version, isReady: () => ready },
      extraPlugins,
      authToken: settings.restAuthToken,
      extraRoutes: pipelines.routes(),
    }),
    settings.restPort,
    settings.restHost,
  )
  let kafka: KafkaListener | undefined
  try {
    // The listener serves the embedded log; on a Kafka cluster, clients talk to the cluster itself.
    if (settings.kafkaPort !== 0 && log instanceof EmbeddedLog) kafka = await KafkaListener.start({
      log,
      host: settings.kafkaHost,
      port: settings.kafkaPort,
      logger: createLogger('kafka'),
      ...(settings.kafkaSaslPlainUsers && { sasl: { plain: { users: settings.kafkaSaslPlainUsers } } }),
      superUsers: settings.kafkaSuperUsers,
      allowEveryoneIfNoAclFound: settings.kafkaAllowEveryoneIfNoAclFound,
      limits: settings.kafkaLimits,
      reservedGroups: settings.groupId === undefined ? [] : [settings.groupId],
      ...(settings.kafkaAdvertisedAddress && { advertisedAddress: hostAndPort(settings.kafkaAdvertisedAddress) }),
    })
  } catch (error) {
    await api.close()
    await worker.close()
    await log.close()
    throw new TributaryError('TRB_CONFIG_INVALID', `the Kafka listener cannot listen on ${settings.kafkaHost}:${settings.kafkaPort}: ${(error as Error).message}`, { cause: error })
  }
  try {
    // Kafka Connect names a worker by its REST address, known only now that the port is bound;
    // the group's other workers forward requests there.
    if (settings.groupId !== undefined) {
      await worker.joinGroup(settings.restAdvertisedAddress ?? advertisedRestAddress(api.host, api.port))
      await pipelines.apply()
    }
  } catch (error) {
    await kafka?.close()
    await api.close()
    await worker.close()
    await log.close()
    throw error
  }
  ready = true
  const restUrl = `http://${api.host}:${api.port}`
  const kafkaAddress = kafka ? `${settings.kafkaHost}:${kafka.port}` : undefined
  const storage = log instanceof EmbeddedLog ? { dataDir: log.dataDir } : { logBrokers: settings.logBrokers }
  logger.info({ restUrl, restPort: api.port, kafkaAddress, ...storage, configDir, connectors: worker.connectorNames().length }, 'worker started')

  let stopping: Promise<void> | undefined
  return {
    restUrl,
    kafkaAddress,
    worker,
    pipelines,
    stop: () => {
      stopping ??= (async () => {
        ready = false
        await kafka?.close()
        await api.close()
        await worker.close()
        await log.close()
        logger.info('worker stopped')
      })()
      return stopping
    },
  }
}

/** The embedded engine in the data directory, or a Kafka cluster when --log-brokers names one. */
async function openLog(settings: WorkerSettings, logger: Logger): Promise<EmbeddedLog | KafkaLog> {
  if (settings.logBrokers) {
    const [username, ...rest] = settings.logSaslPlain?.split(':') ?? []
    return KafkaLog.connect({
      brokers: settings.logBrokers.split(',').map((b) => b.trim()),
      clientId: 'tributary',
      ...(username && { sasl: { mechanism: 'plain' as const, username, password: rest.join(':') } }),
    })
  }
  return EmbeddedLog.open({
    dataDir: path.resolve(settings.dataDir),
    onRecovery: (event) => logger.warn(event, 'cut a torn tail off a segment during recovery'),
    onMaintenanceError: (error) => logger.error({ err: error }, 'retention or compaction pass failed'),
  })
}

function hostAndPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':')
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) }
}

/** A wildcard listen address is no address to reach: other workers get the machine's host name. */
function advertisedRestAddress(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]'
  return `${wildcard ? os.hostname() : host}:${port}`
}
