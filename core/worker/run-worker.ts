/**
 * `tributary run`: opens the embedded log, starts the connector worker (which rebuilds every stored
 * connector from the internal topics), applies the pipeline files, and serves the REST API until
 * SIGINT or SIGTERM; then stops the tasks (each flushes and commits) and closes the log, so every
 * acknowledged record is on disk before the process exits.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApi, startApi, type RunningApi } from '../api/server.ts'
import { isWildcardHost, type WorkerNamesOptions } from '../api/worker-names.ts'
import { CleanupStack } from '../cleanup-stack.ts'
import { TributaryError } from '../errors.ts'
import { KafkaLog } from '../kafka/kafka-log.ts'
import { KafkaListener } from '../kafka/server/listener.ts'
import { SaslUsers } from '../kafka/server/sasl-users.ts'
import { readUsersFile } from '../kafka/server/sasl-users-file.ts'
import { EmbeddedLog } from '../log/embedded-log.ts'
import { createLogger, type Logger } from '../logger.ts'
import { checkNetworkExposure } from '../network-exposure.ts'
import { PipelineManager } from './pipeline-manager.ts'
import { createRegistryApp } from '../registry/http/registry-server.ts'
import { builtInRegistry } from '../registry/built-in-registry.ts'
import type { SchemaRegistry } from '../registry/registry.ts'
import { storageTopics } from '../runtime/storage-topics.ts'
import { loadServerTls, type ServerTls } from '../tls-settings.ts'
import { loadPlugins } from '../runtime/load-plugins.ts'
import { createWorker } from '../runtime/create-worker.ts'
import { extraPlugins } from '../runtime/processing-factory.ts'
import { Sandbox } from '../runtime/sandbox.ts'
import { DistributedHerder } from '../runtime/distributed-herder.ts'
import type { Herder } from '../runtime/herder.ts'
import { defaultGroupSettings } from '../runtime/worker-group.ts'
import type { WorkerSettings } from '../worker-settings.ts'
import { builtinPlugins } from '../../connectors/index.ts'

export interface RunningWorker {
  readonly restUrl: string
  /** host:port of the Kafka listener; undefined when it is off. */
  readonly kafkaAddress: string | undefined
  /** The Schema Registry's URL; undefined when it is off. */
  readonly registryUrl: string | undefined
  readonly herder: Herder
  readonly pipelines: PipelineManager
  stop(): Promise<void>
}

export async function startWorker(settings: WorkerSettings, version: string): Promise<RunningWorker> {
  const logger = createLogger('worker')
  checkNetworkExposure(settings, logger)
  const configDir = path.resolve(settings.configDir)
  if (!fs.existsSync(configDir)) {
    throw new TributaryError('TRB_CONFIG_INVALID', `config directory ${configDir} does not exist`, { details: { configDir } })
  }
  const tls =
    settings.tlsCert !== undefined && settings.tlsKey !== undefined
      ? loadServerTls({ cert: settings.tlsCert, key: settings.tlsKey, clientCa: settings.tlsClientCa })
      : undefined
  const saslUsers = kafkaUsers(settings)
  const loaded = await loadPlugins(settings.pluginPath, builtinPlugins)
  if (loaded.length > 0)
    logger.info(
      { plugins: loaded.map((plugin) => plugin.name), pluginPath: settings.pluginPath },
      'loaded connector plugins from --plugin-path',
    )
  const cleanup = new CleanupStack()
  const log = await openLog(settings, logger)
  cleanup.defer(() => log.close())
  return cleanup.unwindOnError(async () => {
    // In a group, writes go to the writer the group names once this worker has joined.
    let ownRegistryUrl: string | undefined
    let herder: Herder | undefined
    const topics = storageTopics(settings.storageTopicPrefix)
    const registry = builtInRegistry(log, {
      topic: topics.schemas,
      group:
        settings.groupId === undefined
          ? undefined
          : { writer: () => herder?.registryWriter(ownRegistryUrl), bearerToken: settings.restAuthToken },
    })
    const sandbox = workerSandbox(settings, log)
    herder = await createWorker({
      log,
      plugins: [...builtinPlugins, ...loaded],
      workerId: `${settings.restHost}:${settings.restPort}`,
      registryServices: { builtIn: registry, checkHost: (host, port) => sandbox.checkHost(host, port) },
      sandbox,
      storageTopics: topics,
      exactlyOnceSourceSupport: settings.exactlyOnceSourceSupport,
      ...(settings.groupId !== undefined && { group: defaultGroupSettings(settings.groupId, settings.groupSessionTimeoutMs) }),
      cleanup,
    })
    const pipelines = new PipelineManager(herder, configDir, {
      shared: settings.groupId !== undefined,
      envAllowlist: settings.envAllowlist,
    })
    // In a group the files are applied once this worker has joined, so the group decides who runs them.
    if (settings.groupId === undefined) await pipelines.apply()
    let ready = false
    const apiNames = {
      bindHost: settings.restHost,
      advertisedHost:
        settings.restAdvertisedAddress === undefined
          ? advertisedRestHost(settings.restHost)
          : hostAndPort(settings.restAdvertisedAddress).host,
      allowedHosts: settings.restAllowedHosts,
    }
    const api = await startApi(
      createApi({
        log,
        herder,
        health: { version, isReady: () => ready },
        extraPlugins,
        authToken: settings.restAuthToken,
        extraRoutes: pipelines.routes(),
        names: apiNames,
        registry,
      }),
      settings.restPort,
      settings.restHost,
      tls,
    )
    cleanup.defer(() => api.close())
    const kafka = await startKafkaListener(settings, log, saslUsers, tls)
    cleanup.defer(() => kafka?.close())
    const registryApi = await startRegistryApi(settings, registry, apiNames, tls)
    cleanup.defer(() => registryApi?.close())
    // Kafka Connect names a worker by its REST address, known only now that the port is bound;
    // the group's other workers forward requests there.
    if (herder instanceof DistributedHerder) {
      if (registryApi !== undefined) ownRegistryUrl = `${registryApi.scheme}://${apiNames.advertisedHost}:${registryApi.port}`
      await herder.joinGroup(settings.restAdvertisedAddress ?? advertisedRestAddress(api.host, api.port), ownRegistryUrl)
      await pipelines.apply()
    }
    ready = true
    cleanup.defer(() => {
      ready = false
    })
    const restUrl = `${api.scheme}://${api.host}:${api.port}`
    const kafkaAddress = kafka ? `${settings.kafkaHost}:${kafka.port}` : undefined
    const registryUrl = registryApi ? `${registryApi.scheme}://${registryApi.host}:${registryApi.port}` : undefined
    const storage = log instanceof EmbeddedLog ? { dataDir: log.dataDir } : { logBrokers: settings.logBrokers }
    logger.info(
      {
        restUrl,
        restPort: api.port,
        kafkaAddress,
        registryUrl,
        kafkaTls: kafka !== undefined && tls !== undefined,
        mutualTls: settings.tlsClientCa !== undefined,
        ...storage,
        configDir,
        connectors: herder.connectorNames().length,
      },
      'worker started',
    )

    let stopping: Promise<void> | undefined
    return {
      restUrl,
      kafkaAddress,
      registryUrl,
      herder,
      pipelines,
      stop: () => {
        stopping ??= cleanup.close().then(() => logger.info('worker stopped'))
        return stopping
      },
    }
  })
}

/** The listener serves the embedded log; on a Kafka cluster, clients talk to the cluster itself. Undefined when it is off. */
async function startKafkaListener(
  settings: WorkerSettings,
  log: EmbeddedLog | KafkaLog,
  saslUsers: SaslUsers,
  tls: ServerTls | undefined,
): Promise<KafkaListener | undefined> {
  if (settings.kafkaPort === 0 || !(log instanceof EmbeddedLog)) return undefined
  try {
    return await KafkaListener.start({
      log,
      host: settings.kafkaHost,
      port: settings.kafkaPort,
      logger: createLogger('kafka'),
      ...(saslUsers.size > 0 && { sasl: { users: saslUsers } }),
      superUsers: settings.kafkaSuperUsers,
      allowEveryoneIfNoAclFound: settings.kafkaAllowEveryoneIfNoAclFound,
      limits: settings.kafkaLimits,
      reservedGroups: settings.groupId === undefined ? [] : [settings.groupId],
      ...(settings.kafkaAdvertisedAddress && { advertisedAddress: hostAndPort(settings.kafkaAdvertisedAddress) }),
      ...(tls && { tls }),
    })
  } catch (error) {
    throw new TributaryError(
      'TRB_CONFIG_INVALID',
      `the Kafka listener cannot listen on ${settings.kafkaHost}:${settings.kafkaPort}: ${(error as Error).message}`,
      { cause: error },
    )
  }
}

/** The Schema Registry's own port; undefined when it is off. */
async function startRegistryApi(
  settings: WorkerSettings,
  registry: () => Promise<SchemaRegistry>,
  names: WorkerNamesOptions,
  tls: ServerTls | undefined,
): Promise<RunningApi | undefined> {
  if (settings.schemaRegistryPort === 0) return undefined
  try {
    return await startApi(
      createRegistryApp({ registry: await registry(), authToken: settings.restAuthToken, names, logger: createLogger('schema-registry') }),
      settings.schemaRegistryPort,
      settings.restHost,
      tls,
    )
  } catch (error) {
    throw new TributaryError(
      'TRB_CONFIG_INVALID',
      `the Schema Registry cannot listen on ${settings.restHost}:${settings.schemaRegistryPort}: ${(error as Error).message}; give it another port with --schema-registry-port (TRIBUTARY_SCHEMA_REGISTRY_PORT), or 0 to turn it off`,
      { cause: error },
    )
  }
}

/** The embedded engine in the data directory, or a Kafka cluster when --log-brokers names one. */
async function openLog(settings: WorkerSettings, logger: Logger): Promise<EmbeddedLog | KafkaLog> {
  if (settings.logBrokers) {
    const [username, ...rest] = settings.logSaslPlain?.split(':') ?? []
    return KafkaLog.connect({
      brokers: settings.logBrokers.split(',').map((b) => b.trim()),
      clientId: 'tributary',
      logger: createLogger('kafka-log'),
      ...(username && { sasl: { mechanism: 'plain' as const, username, password: rest.join(':') } }),
    })
  }
  return EmbeddedLog.open({
    dataDir: path.resolve(settings.dataDir),
    onRecovery: (event) => logger.warn(event, 'cut a torn tail off a segment during recovery'),
    onSkippedRecord: (event) =>
      logger.warn(event, `skipping record ${event.offset} of ${event.topic} partition ${event.partition}: ${event.reason}`),
    onModesTightened: ({ tightened, failed }) => {
      if (tightened.length > 0)
        logger.warn(
          { dataDir: settings.dataDir, count: tightened.length, paths: tightened.slice(0, 10) },
          `the data directory was readable by other users: took group and other permissions off ${tightened.length} files and directories in it`,
        )
      if (failed.length > 0)
        logger.error(
          { dataDir: settings.dataDir, count: failed.length, failed: failed.slice(0, 10) },
          "could not take group and other permissions off files in the data directory; give them to the worker's user (chown) or run chmod -R go= on it",
        )
    },
    onMaintenanceError: (error) => logger.error({ err: error }, 'retention or compaction pass failed'),
  })
}

/** The users file's and the environment's Kafka users; none: the listener asks for no authentication. */
function kafkaUsers(settings: WorkerSettings): SaslUsers {
  const fromFile = settings.kafkaUsersFile === undefined ? SaslUsers.empty() : readUsersFile(settings.kafkaUsersFile)
  if (settings.kafkaUsersFile !== undefined && fromFile.size === 0) {
    throw new TributaryError(
      'TRB_CONFIG_INVALID',
      `the Kafka users file ${settings.kafkaUsersFile} holds no users, so the listener would ask for no authentication; add one with tributary users add NAME --file ${settings.kafkaUsersFile}`,
      { details: { file: settings.kafkaUsersFile } },
    )
  }
  const fromEnvironment = SaslUsers.fromPasswords(settings.kafkaSaslPlainUsers ?? {})
  return fromFile.merge(fromEnvironment, 'the Kafka users file and TRIBUTARY_KAFKA_SASL_PLAIN_USERS')
}

/** File connectors stay in the allowed directories and out of the log's own storage; others reach the allowed hosts. */
function workerSandbox(settings: WorkerSettings, log: EmbeddedLog | KafkaLog): Sandbox {
  return new Sandbox({
    files: { allowed: settings.fileAllowedPaths, denied: log instanceof EmbeddedLog ? log.storageDirs : [] },
    ...(settings.connectAllowedHosts && { hosts: settings.connectAllowedHosts }),
  })
}

function hostAndPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':')
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) }
}

/** A wildcard listen address is no address to reach: other workers get the machine's host name. */
function advertisedRestAddress(host: string, port: number): string {
  return `${advertisedRestHost(host)}:${port}`
}

function advertisedRestHost(host: string): string {
  return isWildcardHost(host) ? os.hostname() : host
}
