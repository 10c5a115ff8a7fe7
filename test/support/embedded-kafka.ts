/** An embedded log in a fresh directory with a Kafka listener on a free port, for wire-level tests. */
import { EmbeddedLog, type EmbeddedLogOptions } from '../../core/log/embedded-log.ts'
import { KafkaListener, type KafkaListenerOptions } from '../../core/kafka/server/listener.ts'
import { makeTempDir } from './temp-dir.ts'

export interface EmbeddedKafka {
  readonly log: EmbeddedLog
  /** The log's data directory, for tests that read its segment files. */
  readonly dataDir: string
  readonly listener: KafkaListener
  readonly port: number
  stop(): Promise<void>
}

export async function startEmbeddedKafka(
  options: Omit<KafkaListenerOptions, 'log' | 'port'> = {},
  logOptions: Omit<EmbeddedLogOptions, 'dataDir'> = {},
): Promise<EmbeddedKafka> {
  const dir = await makeTempDir()
  const log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0, ...logOptions })
  const listener = await KafkaListener.start({ ...options, log, port: 0 })
  return {
    log,
    dataDir: dir.path,
    listener,
    port: listener.port,
    async stop() {
      await listener.close()
      await log.close()
      await dir.remove()
    },
  }
}
