/**
 * Kafka Connect's offsets API (KIP-875) for both kinds: a source's offsets are its stored source
 * partitions and offsets; a sink's are its consumer group's committed offsets, in the fixed shape
 * `{ kafka_topic, kafka_partition }` → `{ kafka_offset }`.
 */
import { TributaryError, isTributaryError } from '../errors.ts'
import type { Log } from '../log/log.ts'
import type { SourceOffset, SourcePartition } from './plugin.ts'
import { sinkGroupId } from './sink-task-runner.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'

export interface OffsetEntry {
  readonly partition: Record<string, unknown>
  readonly offset: Record<string, unknown> | null
}

export class ConnectorOffsets {
  private readonly log: Log
  private readonly sources: SourceOffsetStore

  constructor(log: Log, sources: SourceOffsetStore) {
    this.log = log
    this.sources = sources
  }

  async list(name: string, type: 'source' | 'sink'): Promise<OffsetEntry[]> {
    if (type === 'source')
      return this.sources.list(name).map(({ partition, offset }) => ({ partition: { ...partition }, offset: { ...offset } }))
    try {
      const group = await this.log.describeGroup(sinkGroupId(name))
      return group.offsets.map(({ topic, partition, offset }) => ({
        partition: { kafka_topic: topic, kafka_partition: partition },
        offset: { kafka_offset: offset },
      }))
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_NOT_FOUND')) return []
      throw error
    }
  }

  /** Sets the given partitions' offsets (null resets one); partitions not named are left alone. */
  async alter(name: string, type: 'source' | 'sink', entries: readonly OffsetEntry[]): Promise<void> {
    if (type === 'source') {
      await this.sources.write(
        name,
        entries.map((entry, index) => ({ partition: sourcePartition(entry.partition, index), offset: sourceOffset(entry.offset, index) })),
      )
      return
    }
    await this.log.alterGroupOffsets(
      sinkGroupId(name),
      entries.map((entry, index) => sinkOffset(entry, index)),
    )
  }

  async reset(name: string, type: 'source' | 'sink'): Promise<void> {
    if (type === 'source') {
      await this.sources.reset(name)
      return
    }
    await this.log.deleteGroup(sinkGroupId(name)).catch((error: unknown) => {
      if (!isTributaryError(error, 'TRB_GROUP_NOT_FOUND')) throw error
    })
  }
}

function invalid(message: string, index: number): never {
  throw new TributaryError('TRB_CONFIG_INVALID', `offsets[${index}]: ${message}`, { details: { index } })
}

function isFlatMap(value: unknown): value is Record<string, string | number | boolean | null> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
  )
}

function sourcePartition(partition: unknown, index: number): SourcePartition {
  if (!isFlatMap(partition) || Object.values(partition).some((v) => v === null || typeof v === 'boolean'))
    invalid('partition must be an object of string or number values', index)
  return partition as SourcePartition
}

function sourceOffset(offset: unknown, index: number): SourceOffset | null {
  if (offset === null) return null
  if (!isFlatMap(offset)) invalid('offset must be an object of scalar values, or null to reset', index)
  return offset
}

function sinkOffset(entry: OffsetEntry, index: number): { topic: string; partition: number; offset: number | null } {
  const topic = entry.partition.kafka_topic
  const partition = entry.partition.kafka_partition
  if (typeof topic !== 'string' || !Number.isInteger(partition))
    invalid('a sink partition is { "kafka_topic": string, "kafka_partition": integer }', index)
  if (entry.offset === null) return { topic, partition: partition as number, offset: null }
  const offset = entry.offset.kafka_offset
  if (!Number.isInteger(offset) || (offset as number) < 0) invalid('a sink offset is { "kafka_offset": non-negative integer }', index)
  return { topic, partition: partition as number, offset: offset as number }
}
