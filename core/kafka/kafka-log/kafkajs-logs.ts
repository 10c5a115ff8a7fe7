/**
 * kafkajs' log entries as the worker's own: its warnings and errors (a connection lost, a leader
 * moved, a request retried) are what an operator sees of a broker failover that KafkaLog rides out,
 * so they go to the worker's logger at warn, with kafkajs' namespace and fields.
 */
import kafkajs, { type logCreator } from 'kafkajs'
import type { Logger } from '../../logger.ts'

const { logLevel } = kafkajs

export function kafkajsLogsTo(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const {
        message,
        timestamp: _timestamp,
        logger: _name,
        ...fields
      } = log as { message: string; timestamp?: string; logger?: string; [field: string]: unknown }
      const entry = { kafkajs: namespace, ...fields }
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(entry, message)
      else logger.debug(entry, message)
    }
}
