/**
 * Debezium's change events (as the oracle writes them, JsonConverter's bytes) as a sink gets them
 * from a topic: read by the JSON converter with schemas.enable=true, so key, value and both schemas
 * are what a worker would hand the sink.
 */
import { createPlainConverters } from '../../core/runtime/converters.ts'
import type { SinkRecord } from '../../core/runtime/plugin.ts'
import type { DebeziumRecord } from './debezium.ts'
import { sinkRecord } from './task-context.ts'

const converters = createPlainConverters({ 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' })

export function debeziumSinkRecords(records: readonly DebeziumRecord[], firstOffset = 0): SinkRecord[] {
  return records.map((record, index) => {
    const key = converters.key.toData(record.topic, record.keyJson === null ? null : Buffer.from(record.keyJson))
    const value = converters.value.toData(record.topic, record.valueJson === null ? null : Buffer.from(record.valueJson))
    return sinkRecord({
      topic: record.topic,
      offset: firstOffset + index,
      key: key.value,
      keySchema: key.schema,
      value: value.value,
      valueSchema: value.schema,
    })
  })
}
