/**
 * `tributary run`: opens the embedded log and serves the REST API until SIGINT or SIGTERM, then
 * closes both so every acknowledged record is on disk before the process exits.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createApi, startApi } from './api/server.ts'
import { TributaryError } from './errors.ts'
import { EmbeddedLog } from './log/embedded-log.ts'
import { createLogger } from './logger.ts'
import type { WorkerSettings } from './worker-settings.ts'

export interface RunningWorker {
  readonly restUrl: string
  stop(): Promise<void>
}

export async function startWorker(settings: WorkerSettings, version: string): Promise<RunningWorker> {
  const logger = createLogger('worker')
  const configDir = path.resolve(settings.configDir)
  if (!fs.existsSync(configDir)) {
    throw new TributaryError('TRB_CONFIG_INVALID', `config directory ${configDir} does not exist`, { details: { configDir } })
  }
  const log = await EmbeddedLog.open({
    dataDir: path.resolve(settings.dataDir),
    onRecovery: (event) => logger.warn(event, 'cut a torn tail off a segment during recovery'),
    onMaintenanceError: (error) => logger.error({ err: error }, 'retention or compaction pass failed'),
  })
  let ready = false
  const api = await startApi(createApi({ log, health: { version, isReady: () => ready } }), settings.restPort, settings.restHost)
  ready = true
  const restUrl = `http://${api.host}:${api.port}`
  logger.info({ restUrl, restPort: api.port, dataDir: log.dataDir }, 'worker started')
  logger.info({ configDir }, 'pipelines in the config directory are not loaded yet: the connector runtime is not part of this build')
  if (settings.kafkaPort !== 0) logger.info({ kafkaPort: settings.kafkaPort }, 'the Kafka protocol listener is not part of this build; not started')

  let stopping: Promise<void> | undefined
  return {
    restUrl,
    stop: () => {
      stopping ??= (async () => {
        ready = false
        await api.close()
        await log.close()
        logger.info('worker stopped')
      })()
      return stopping
    },
  }
}
