/**
 * A sink's batch as read from the log, through converters and transforms. Decoding has no side
 * effects, so a batch can be decoded ahead of its turn (while the batch before it flushes); its
 * failures reach the dead-letter handler only when its records are taken for put(), in order.
 */
import { setImmediate } from 'node:timers/promises'
import type { StoredRecord } from '../log/log.ts'
import { failedFromStored, type DeadLetterHandler } from './dead-letter.ts'
import type { SinkRecord } from './plugin.ts'
import { headersFromLog, type ConnectData, type RecordProcessing } from './record-processing.ts'
import type { TaskMetrics } from './task-metrics.ts'

const DECODE_SLICE_RECORDS = 200

export class DecodedBatch {
  readonly stored: readonly StoredRecord[]
  private readonly decoded: readonly Decoded[]

  private constructor(stored: readonly StoredRecord[], decoded: readonly Decoded[]) {
    this.stored = stored
    this.decoded = decoded
  }

  static async decode(stored: readonly StoredRecord[], processing: RecordProcessing): Promise<DecodedBatch> {
    const decoded: Decoded[] = []
    for (let i = 0; i < stored.length; i++) {
      // Yield now and then so the flush under way gets its replies and sends its next statement
      // instead of waiting for the whole batch to be decoded.
      if (i > 0 && i % DECODE_SLICE_RECORDS === 0) await setImmediate()
      const result = decode(stored[i] as StoredRecord, processing)
      decoded.push(result instanceof Promise ? await result : result)
    }
    return new DecodedBatch(stored, decoded)
  }

  /** The batch's records for put(); the failures go to the dead-letter handler, in order. */
  async records(deadLetter: DeadLetterHandler, metrics: TaskMetrics): Promise<SinkRecord[]> {
    const records: SinkRecord[] = []
    for (let i = 0; i < this.decoded.length; i++) {
      const result = this.decoded[i] as Decoded
      if (result === null) metrics.recordsFiltered(1)
      else if (result instanceof DecodeFailure) {
        metrics.recordErrors(1)
        await deadLetter.handle(result.stage, failedFromStored(this.stored[i] as StoredRecord), result.error)
      } else records.push(result)
    }
    return records
  }
}

type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TRANSFORMATION'

class DecodeFailure {
  readonly stage: Stage
  readonly error: unknown
  constructor(stage: Stage, error: unknown) {
    this.stage = stage
    this.error = error
  }
}

/** A stored record through converters and transforms: a record, null (filtered out), or the failure. */
type Decoded = SinkRecord | null | DecodeFailure

/** A promise only when a converter had to wait (for a schema registry). */
function decode(raw: StoredRecord, processing: RecordProcessing): Decoded | Promise<Decoded> {
  let stage: Stage = 'KEY_CONVERTER'
  try {
    const key = processing.key.toData(raw.topic, raw.key)
    if (key instanceof Promise) return decodeAfter(raw, processing, key)
    stage = 'VALUE_CONVERTER'
    const value = processing.value.toData(raw.topic, raw.value)
    if (value instanceof Promise) return decodeAfter(raw, processing, key, value)
    stage = 'TRANSFORMATION'
    return transform(raw, processing, key, value)
  } catch (error) {
    return new DecodeFailure(stage, error)
  }
}

async function decodeAfter(
  raw: StoredRecord,
  processing: RecordProcessing,
  pendingKey: Promise<ConnectData> | ConnectData,
  pendingValue?: Promise<ConnectData>,
): Promise<Decoded> {
  let stage: Stage = 'KEY_CONVERTER'
  try {
    const key = await pendingKey
    stage = 'VALUE_CONVERTER'
    const value = await (pendingValue ?? processing.value.toData(raw.topic, raw.value))
    stage = 'TRANSFORMATION'
    return transform(raw, processing, key, value)
  } catch (error) {
    return new DecodeFailure(stage, error)
  }
}

function transform(raw: StoredRecord, processing: RecordProcessing, key: ConnectData, value: ConnectData): Decoded {
  return processing.transforms.apply<SinkRecord>({
    topic: raw.topic,
    partition: raw.partition,
    offset: raw.offset,
    key: key.value,
    keySchema: key.schema,
    value: value.value,
    valueSchema: value.schema,
    headers: headersFromLog(raw.headers),
    timestamp: raw.timestamp,
  })
}
